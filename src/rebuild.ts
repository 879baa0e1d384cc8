// The rebuild the cron and the first request run: list the corpus and take its newest
// DIGEST_MAX_ARTICLES objects, do nothing when their fingerprint matches the live build, else bring the article index up to date (reading and
// analysing only new or changed files, a bounded batch per run; a batch that would drop part
// of the live digest is held back), build the digest from the index, check, publish and
// record. Every storage operation counts against one budget per run, so a large change is
// read, and a large publish written, over several runs. Any failure is recorded for /healthz
// and leaves the live build as it was.
import { maxArticles, siteMeta, type SiteVars } from "./config";
import { STORY_TEXT_VERSION, analyzeFile, buildDigestFromAnalyses, newestObjects, storyTextKey, type StoryText, type StoryTextInput } from "./pipeline/build";
import type { CleanArticle, Digest, FileAnalysis } from "./pipeline/types";
import { renderFiles } from "./render/index";
import { readIndex, writeIndex, type IndexEntry } from "./storage/article-index";
import { fingerprintOf, lastChanged, listCorpus, readCorpus, type CorpusEntry } from "./storage/corpus";
import { OperationBudget, metered } from "./storage/budget";
import { messageOf, publishBuild, readBlob, readManifest, readPointer, readStatus, writeStatus, type BuildRecord, type Manifest, type Staging } from "./storage/published";
import { toRfc3339 } from "./pipeline/dates";

/**
 * Storage operations (R2 and KV together) one run may make: Workers allow about 1,000 per
 * invocation, and a few are kept back so a run that fails can still record why.
 */
export const OPERATIONS_PER_RUN = 990;
/**
 * Corpus objects read per run at most, which also bounds the analysis work of one run. New
 * files beyond this wait for the next run (the digest published meanwhile covers what has
 * been analysed).
 */
export const READ_BATCH = 400;
/**
 * Share of a run's operations that reads leave for the index writes and the publish, so every
 * run that reads also moves its publish forward; a publish larger than what is left is written
 * over the next runs (publishBuild's staging).
 */
const PUBLISH_SHARE = 0.25;

export interface RebuildBindings extends SiteVars {
  CORPUS: R2Bucket;
  DIGEST: KVNamespace;
}

export interface RebuildOptions {
  /** Build even when the corpus fingerprint matches the live build. */
  force?: boolean;
  /** Publish even when the build drops most of the live build's stories (an operator's decision). */
  allowShrink?: boolean;
  /** Replaceable corpus-wide stage, so tests can inject a failing stage. */
  build?: typeof buildDigestFromAnalyses;
  /** Test hook run on each newly analysed article (fault injection in a per-file stage). */
  afterClean?: (article: CleanArticle) => void;
  /** Corpus objects to read at most in this run (default READ_BATCH). */
  readBatch?: number;
  /** Storage operations this run may make (default OPERATIONS_PER_RUN). */
  operations?: number;
}

export type RebuildResult =
  | { status: "unchanged"; record: BuildRecord }
  | { status: "published"; record: BuildRecord }
  /** The live digest stays while objects it shows are re-read (its record carries `pending`). */
  | { status: "catching-up"; record: BuildRecord }
  /** The new build's outputs did not all fit in this run's operations: the rest are written next run. */
  | { status: "staging"; record: BuildRecord | null; publishing: Staging }
  | { status: "failed"; error: string; record: BuildRecord | null };

interface PublishedContents {
  /** Each article's story id. */
  storyIds: Record<string, string>;
  /** Every corpus key the build covers. */
  keys: Set<string>;
  /** Story titles and summaries by storyTextKey, when the build ran this STORY_TEXT_VERSION (else empty). */
  texts: Map<string, StoryText>;
}

type PublishedStory = StoryText & { id: string; articles: (StoryTextInput & { id: string })[] };

/** What a published build shows, from its digest.json (nothing when there is no build). */
async function publishedContents(kv: KVNamespace, manifest: Manifest | null): Promise<PublishedContents> {
  const entry = manifest?.files["digest.json"];
  const text = entry ? await readBlob(kv, entry) : null;
  const contents: PublishedContents = { storyIds: {}, keys: new Set(), texts: new Map() };
  if (!manifest || !text) return contents;
  const published = JSON.parse(text) as { stories: PublishedStory[]; rejected: { path: string }[] };
  const reusable = manifest.record.textVersion === STORY_TEXT_VERSION;
  for (const story of published.stories) {
    for (const article of story.articles) {
      contents.storyIds[article.id] = story.id;
      contents.keys.add(article.path);
    }
    if (reusable) contents.texts.set(storyTextKey(story.articles), { title: story.title, summary: story.summary });
  }
  for (const rejection of published.rejected) contents.keys.add(rejection.path);
  return contents;
}

/**
 * Publish guard: a build that loses most of the live build's stories is far more often a
 * listing or read fault than a real purge, so the cron holds it back; an operator can
 * publish it with `allowShrink` (POST /admin/rebuild?allowShrink=1).
 */
function checkShrink(previous: Manifest | null, digest: Digest, allowShrink: boolean): void {
  if (!previous || allowShrink) return;
  const before = previous.record.stories;
  const after = digest.stats.stories;
  if (before >= 4 && after < before / 2) {
    throw new Error(
      `publish guard: this build has ${after} stories where the live one has ${before}; kept the live digest. ` +
        "If the corpus really shrank, rebuild with allowShrink.",
    );
  }
}

/** An index entry still describes this listed object: same bytes, same upload time. */
function isCurrent(entry: IndexEntry | undefined, listed: CorpusEntry): entry is IndexEntry {
  return entry !== undefined && entry.etag === listed.etag && entry.uploaded === listed.uploaded;
}

/**
 * Bring the index up to the listing: drop entries of deleted objects, analyse up to `batch`
 * new or changed objects, those the live digest shows (`live`) first. Returns the listed entries the index now covers, their analyses,
 * and how many still wait. Oversized objects are rejected by their listed size without being read.
 */
async function updateIndex(
  corpus: R2Bucket,
  kv: KVNamespace,
  budget: OperationBudget,
  entries: CorpusEntry[],
  readBatch: number,
  live: Set<string>,
  afterClean: RebuildOptions["afterClean"],
): Promise<{ covered: CorpusEntry[]; analyses: FileAnalysis[]; pending: number }> {
  // Entries of deleted objects, and of objects the digest no longer covers, are dropped as the
  // index is read, so they are never held.
  const listed = new Set(entries.map((e) => e.key));
  const stored = await readIndex(kv, (key) => listed.has(key));
  const index = stored.entries;
  const touched = new Set<string>(stored.dropped);
  // Stable sort: what the live digest shows first, so a catch-up holds it back for as few runs as possible.
  const stale = entries.filter((e) => !isCurrent(index.get(e.key), e)).sort((a, b) => Number(!live.has(a.key)) - Number(!live.has(b.key)));
  const reserve = Number.isFinite(budget.limit) ? Math.ceil(budget.limit * PUBLISH_SHARE) : 0;
  const toRead = stale.slice(0, Math.max(0, Math.min(readBatch, budget.remaining - reserve)));
  const files = await readCorpus(corpus, toRead);
  if (files.length < toRead.length * 0.9) {
    throw new Error(`could read only ${files.length} of ${toRead.length} corpus objects; not publishing a partial digest`);
  }
  const byKey = new Map(toRead.map((e) => [e.key, e]));
  for (const file of files) {
    const entry = byKey.get(file.path)!;
    index.set(file.path, { key: file.path, etag: entry.etag, uploaded: entry.uploaded, analysis: analyzeFile(file, afterClean) });
    touched.add(file.path);
  }
  await writeIndex(kv, stored, touched);
  const covered = entries.filter((e) => isCurrent(index.get(e.key), e));
  return { covered, analyses: covered.map((e) => index.get(e.key)!.analysis), pending: entries.length - covered.length };
}

export async function rebuild(env: RebuildBindings, options: RebuildOptions = {}): Promise<RebuildResult> {
  const now = toRfc3339(new Date());
  let previous: Manifest | null = null;
  const budget = new OperationBudget(options.operations ?? OPERATIONS_PER_RUN);
  const corpus = metered(env.CORPUS, budget);
  const kv = metered(env.DIGEST, budget);
  try {
    const pointer = await readPointer(kv);
    previous = pointer ? await readManifest(kv, pointer) : null;
    const listed = await listCorpus(corpus);
    const entries = newestObjects(listed, maxArticles(env), (e) => ({ path: e.key, entered: e.uploaded }));
    const leftOut = listed.length - entries.length;
    // Same corpus as the live build: nothing to do, unless a forced build of it (new site
    // settings, say) is still being written out over several runs.
    const unchanged = previous && previous.record.fingerprint === fingerprintOf(entries) && (previous.record.leftOut ?? 0) === leftOut && !previous.record.pending;
    if (previous && unchanged && !options.force && !(await readStatus(kv)).publishing) {
      return { status: "unchanged", record: previous.record };
    }
    const live = await publishedContents(kv, previous);
    const { covered, analyses, pending } = await updateIndex(corpus, kv, budget, entries, options.readBatch ?? READ_BATCH, live.keys, options.afterClean);
    // A batch publishes only when it keeps all the live digest shows. After the index was lost
    // or retired (ANALYSIS_VERSION), or when objects it shows changed, a partial build would
    // drop or roll back stories (and their ids) for several runs: the live digest stays until
    // those objects are re-read, and /healthz counts down `pending`.
    if (previous && pending > 0) {
      const coveredKeys = new Set(covered.map((e) => e.key));
      if (entries.some((e) => live.keys.has(e.key) && !coveredKeys.has(e.key))) {
        const record = { ...previous.record, pending };
        await writeStatus(kv, { current: record, lastError: null, lastCheck: now });
        return { status: "catching-up", record };
      }
    }
    // The build covers exactly the analysed objects, so its bytes are those a full rebuild of
    // that part of the corpus gives; the fingerprint says which part.
    const fingerprint = fingerprintOf(covered);
    const build = options.build ?? buildDigestFromAnalyses;
    const digest = build(analyses, {
      meta: siteMeta(env),
      generatedAt: lastChanged(covered),
      fingerprint,
      previousStoryIds: live.storyIds,
      previousText: live.texts,
    });
    checkShrink(previous, digest, options.allowShrink === true);
    const published = await publishBuild(
      kv,
      {
        fingerprint,
        generatedAt: digest.generatedAt,
        builtAt: now,
        stories: digest.stats.stories,
        articles: digest.stats.articles,
        duplicates: digest.stats.duplicates,
        rejected: digest.rejected,
        pending,
        leftOut,
        textVersion: STORY_TEXT_VERSION,
      },
      renderFiles(digest),
      previous,
      budget,
    );
    if ("staging" in published) {
      const record = previous?.record ?? null;
      await writeStatus(kv, { current: record, lastError: null, lastCheck: now, publishing: published.staging });
      return { status: "staging", record, publishing: published.staging };
    }
    const { record } = published.manifest;
    await writeStatus(kv, { current: record, lastError: null, lastCheck: now });
    return { status: "published", record };
  } catch (error) {
    const message = messageOf(error);
    console.error("rebuild failed; the previous digest stays online:", message);
    try {
      // Unmetered: these two are what OPERATIONS_PER_RUN keeps back.
      const status = await readStatus(env.DIGEST);
      await writeStatus(env.DIGEST, { ...status, current: previous?.record ?? status.current, lastError: { at: now, message }, lastCheck: now });
    } catch {
      // Recording the failure failed too; the live build is untouched either way.
    }
    return { status: "failed", error: message, record: previous?.record ?? null };
  }
}
