// The whole pipeline as pure functions: corpus files → Digest. Each file is analysed (ingested
// and cleaned) on its own, so one bad file is rejected with its reason and never stops the
// rest, and an analysis can be stored and reused while its file is unchanged; the corpus-wide
// stages then run over all analyses.
import { clean } from "./clean";
import { cluster } from "./cluster";
import { dedupe } from "./dedupe";
import { RejectedFileError, ingest, isArticlePath } from "./ingest";
import { summarize } from "./summarize";
import { bodyTermIds, originalIndexes, termStats, type TermStats } from "./terms";
import { contentTerms, hash64, splitSentences } from "./text";
import type { CleanArticle, CorpusFile, DedupedArticle, Digest, DigestMeta, FileAnalysis, Rejection, Story } from "./types";

export interface BuildOptions {
  meta: DigestMeta;
  /** Build time printed in the feeds; pass the corpus's last-change time so equal corpora give equal bytes. */
  generatedAt: string;
  fingerprint: string;
  /** Test hook: a stage to run per article after cleaning (fault injection). */
  afterClean?: (article: CleanArticle) => void;
  /** Article id → story id in the previous build, so stories keep their ids as articles come and go. */
  previousStoryIds?: Record<string, string>;
  /**
   * Titles and summaries of the previous build's stories by storyTextKey, when that build ran
   * the same STORY_TEXT_VERSION: a story whose articles are all as they were takes its text
   * from there instead of being summarized again (the same text, as both depend on the story
   * alone).
   */
  previousText?: Map<string, StoryText>;
}

export type StoryText = Pick<Story, "title" | "summary">;

/** What a story's title and summary are made from, per article (see storyTextKey). */
export type StoryTextInput = Pick<DedupedArticle, "path" | "contentHash" | "entered" | "duplicateOf">;

/**
 * Version of what `analyzeFile` produces. Stored analyses (the Worker's article index) from
 * another version are ignored and redone, so bump it whenever ingest or clean output changes.
 */
export const ANALYSIS_VERSION = 34;

/**
 * Version of how a story's title and summary are made from its analysed articles: a build
 * reuses the previous build's text only when that build ran the same version, so bump the
 * second part whenever dedupe, summarize or storyTitle would write other text.
 */
export const STORY_TEXT_VERSION = `${ANALYSIS_VERSION}.4`;

/**
 * Names everything a story's title and summary depend on: which files it holds, their
 * contents, when they entered the corpus and which copies which. Two stories with equal keys
 * get equal text (within one STORY_TEXT_VERSION).
 */
export function storyTextKey(articles: readonly StoryTextInput[]): string {
  const lines = articles.map((a) => `${a.path}\t${a.contentHash}\t${a.entered}\t${a.duplicateOf}`);
  return hash64(lines.sort().join("\n"));
}

/**
 * The per-file half of the pipeline: ingest and clean one file, or say why it was rejected.
 * Depends on nothing but the file (path, bytes, entry time), so its result can be kept and
 * reused until the file changes: that is what makes rebuilds incremental.
 */
export function analyzeFile(file: CorpusFile, afterClean?: (article: CleanArticle) => void): FileAnalysis {
  if (!isArticlePath(file.path)) return { path: file.path, article: null, rejected: "not an article: only .txt, .md and .markdown files are read" };
  try {
    const article = clean(ingest(file));
    if (article.sentenceEnds.length === 0) throw new RejectedFileError("nothing left after removing boilerplate");
    afterClean?.(article);
    return { path: file.path, article, rejected: null };
  } catch (error) {
    const reason = error instanceof RejectedFileError ? error.message : `could not be processed: ${String((error as Error)?.message ?? error)}`;
    return { path: file.path, article: null, rejected: reason };
  }
}

/**
 * How many corpus objects a digest covers unless configured (DIGEST_MAX_ARTICLES): the newest.
 * A rebuild holds every covered article's analysis and term vector at once, and in a Worker
 * that reaches the 128 MB limit at about 10,300 articles (README, Memory); past the cover,
 * older objects are left out instead of every rebuild running out of memory. A digest is
 * about recent news: what falls out is what entered the corpus longest ago.
 */
export const DEFAULT_MAX_ARTICLES = 10_000;

/** What newestObjects orders an object by. */
export interface ObjectAge {
  path: string;
  /** When it entered the corpus; null sorts as the oldest. */
  entered: string | null;
}

/**
 * The `limit` objects that entered the corpus last (ties, and objects without an entry time,
 * by path), in their given order: the part of the corpus a digest covers. Depends on the
 * objects alone, so an incremental rebuild and a full one cover the same part.
 */
export function newestObjects<T>(objects: readonly T[], limit: number, ageOf: (object: T) => ObjectAge): T[] {
  if (objects.length <= limit) return [...objects];
  const ages = objects.map(ageOf);
  const newestFirst = ages
    .map((_, i) => i)
    .sort((x, y) => {
      const [a, b] = [ages[x], ages[y]];
      if (a.entered !== b.entered) return a.entered === null ? 1 : b.entered === null ? -1 : a.entered > b.entered ? -1 : 1;
      return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
    });
  const kept = new Uint8Array(objects.length);
  for (const i of newestFirst.slice(0, Math.max(0, limit))) kept[i] = 1;
  return objects.filter((_, i) => kept[i] === 1);
}

export function buildDigest(files: CorpusFile[], options: BuildOptions): Digest {
  return buildDigestFromAnalyses(
    files.map((file) => analyzeFile(file, options.afterClean)),
    options,
  );
}

/** The corpus-wide half: dedupe, cluster, summarize and order the stories of analysed files. */
export function buildDigestFromAnalyses(analyses: FileAnalysis[], options: BuildOptions): Digest {
  const sorted = [...analyses].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const rejected: Rejection[] = sorted.filter((a) => a.rejected !== null).map((a) => ({ path: a.path, reason: a.rejected! }));
  const cleaned = sorted.map((a) => a.article).filter((a): a is CleanArticle => a !== null);
  const articles = dedupe(cleaned);
  const stats = termStats(articles);
  const groups = cluster(articles, stats);
  const stories = groups.map((group) => makeStory(group.map((i) => articles[i]), stats, options.previousText));
  inheritStoryIds(stories, options.previousStoryIds ?? {});
  stories.sort((a, b) => compareDesc(a.updated, b.updated) || compareDesc(a.published, b.published) || (a.id < b.id ? -1 : 1));
  return {
    meta: options.meta,
    generatedAt: options.generatedAt,
    fingerprint: options.fingerprint,
    stories,
    rejected,
    stats: {
      files: analyses.length,
      articles: articles.length,
      stories: stories.length,
      duplicates: articles.filter((a) => a.duplicateOf).length,
      rejected: rejected.length,
    },
  };
}

function compareDesc(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? 1 : -1;
}

/** When an article first appeared: its own date, else when it entered the corpus. */
function firstSeen(article: DedupedArticle): string | null {
  return article.published ?? article.entered;
}

function byFirstSeen(a: DedupedArticle, b: DedupedArticle): number {
  const x = firstSeen(a);
  const y = firstSeen(b);
  if (x !== y) return x === null ? 1 : y === null ? -1 : x < y ? -1 : 1;
  if (!a.duplicateOf !== !b.duplicateOf) return a.duplicateOf ? 1 : -1;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Story id from its founding article (the earliest): URL-safe and stable across rebuilds. */
export function storyId(founder: DedupedArticle): string {
  return "s" + hash64("story:" + founder.path).slice(0, 12);
}

/**
 * A story keeps the id it had in the previous build: the id most of its articles carried
 * (ties: the earliest such article's). So an id survives articles joining, leaving, and its
 * founding article being removed; only a story with no article from the previous build gets
 * a new id, from its founding article. When a story splits, the larger part keeps the id.
 */
export function inheritStoryIds(stories: Story[], previous: Record<string, string>): void {
  const claims = stories.map((story) => {
    const votes = new Map<string, number>();
    for (const article of story.articles) {
      const id = previous[article.id];
      if (id) votes.set(id, (votes.get(id) ?? 0) + 1);
    }
    let best: string | null = null;
    for (const [id, count] of votes) if (best === null || count > votes.get(best)!) best = id;
    return { story, id: best, votes: best ? votes.get(best)! : 0 };
  });
  // Inherited ids first, strongest claim first; then the stories that inherited none take
  // their founder's id, moved aside when a larger part of a split story holds it already.
  const taken = new Set<string>();
  const order = [...claims].sort((a, b) => b.votes - a.votes || (a.story.id < b.story.id ? -1 : 1));
  const founded: Story[] = [];
  for (const claim of order) {
    if (claim.id && !taken.has(claim.id)) {
      claim.story.id = claim.id;
      taken.add(claim.id);
    } else founded.push(claim.story);
  }
  for (const story of founded) {
    while (taken.has(story.id)) story.id = "s" + hash64("again:" + story.id).slice(0, 12);
    taken.add(story.id);
  }
}

function makeStory(members: DedupedArticle[], stats: TermStats, previousText: Map<string, StoryText> | undefined): Story {
  const articles = [...members].sort(byFirstSeen);
  const dates = articles.map(firstSeen).filter((d): d is string => d !== null).sort();
  const changes = articles.map((a) => a.entered ?? a.published).filter((d): d is string => d !== null).sort();
  const published = dates[0] ?? null;
  let updated = changes[changes.length - 1] ?? null;
  if (published && (!updated || updated < published)) updated = published;
  const text = previousText?.get(storyTextKey(articles));
  return {
    id: storyId(articles[0]),
    title: text?.title ?? storyTitle(articles, stats),
    published,
    updated,
    summary: text?.summary ?? summarize(articles, stats),
    articles,
  };
}

/**
 * The most representative headline: the found headline whose words the other sources use
 * most, among the originals (a copy's headline is its original's, or a spun version of it).
 * Each headline is judged only by the other sources (leave one out), so a long article cannot
 * vote for its own headline, and a spun headline's swapped synonyms find no support
 * elsewhere. A headline that states the news first; else a title made from a source's lead;
 * a teaser (two sentences, a question) only when nothing else is there.
 */
function storyTitle(articles: DedupedArticle[], stats: TermStats): string {
  const originals = originalIndexes(articles).map((i) => articles[i]);
  const headlined = originals.filter((a) => !a.titleFromLead);
  // A headline in two sentences ("X did Y. Z shot them down.") or a question ("Arson in
  // Alaska: a pattern?") teases; one sentence states, and so does a title made from a lead.
  // A question quoted at the end ("… at a Wedding: 'Can I Kiss You?'") is part of a statement.
  const stated = headlined.filter((a) => splitSentences(a.title).length === 1 && !a.title.endsWith("?"));
  const leadMade = originals.filter((a) => a.titleFromLead);
  const choices = stated.length ? stated : leadMade.length ? leadMade : headlined.length ? headlined : originals;
  if (choices.length === 1 || originals.length === 1) return choices[0].title;
  // Terms as termStats's ids (its reading of each original's body is reused, not redone);
  // words no original's body uses get negative ids.
  const unindexed = new Map<string, number>();
  const idOf = (term: string): number => {
    let id = stats.ids.get(term) ?? unindexed.get(term);
    if (id === undefined) unindexed.set(term, (id = -1 - unindexed.size));
    return id;
  };
  const titleTerms = originals.map((a) => new Set(contentTerms(a.title).map(idOf)));
  // How many originals use each headline term, in their headline or body (once each): the
  // users of a headline's term other than its own article are these less one.
  const users = new Map<number, number>();
  for (const terms of titleTerms) for (const term of terms) users.set(term, 0);
  const lastUser = new Map<number, number>();
  originals.forEach((a, i) => {
    const use = (term: number): void => {
      const count = users.get(term);
      if (count === undefined || lastUser.get(term) === i) return;
      lastUser.set(term, i);
      users.set(term, count + 1);
    };
    for (const term of titleTerms[i]) use(term);
    for (const id of bodyTermIds(stats, a)!) use(id); // termStats read every original
  });
  let best = choices[0];
  let bestScore = -Infinity;
  for (const choice of choices) {
    const own = originals.indexOf(choice);
    const terms = titleTerms[own];
    if (terms.size === 0) continue;
    let support = 0;
    for (const term of terms) support += (users.get(term)! - 1) / (originals.length - 1);
    // Summed support rewards a headline that says more of the story; the square root keeps
    // an unsupported word costing something, so a padded or garbled headline does not win.
    const score = support / Math.sqrt(terms.size);
    if (score > bestScore + 1e-12) {
      bestScore = score;
      best = choice;
    }
  }
  return best.title;
}
