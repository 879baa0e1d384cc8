// Stage 5, summarize: a multi-document extractive summary per story. Sentences (the first few
// of each source, so work stays bounded) are scored by centrality (LexRank), cross-source
// support and lead position, filtered for self-containedness, and chosen greedily (MMR plus
// coverage of what most sources agree on) under a word budget, never two that state the same
// fact. Each chosen sentence lists every article that states it; copies state what their
// original states.
import { isCaption } from "./signals";
import { contentTerms, wordCount } from "./text";
import type { DedupedArticle, SummarySentence } from "./types";

export interface SummaryOptions {
  /** Fewer words only when the story has nothing more to say. */
  minWords: number;
  /** Stop adding sentences once this is reached (human digest blurbs run ~55 words). */
  targetWords: number;
  /** Hard cap, except that a single first sentence may run longer. */
  maxWords: number;
  maxSentences: number;
}

export const DEFAULT_SUMMARY_OPTIONS: SummaryOptions = { minWords: 40, targetWords: 50, maxWords: 80, maxSentences: 4 };

// Tuned on NeuS validation (three outlets per story, human reference summaries) with gold and
// predicted clusters; the optimum is flat, so these are round values, not fitted ones.
/** Cosine between two sentences' tf-idf vectors at which they state the same fact. */
const REDUNDANT = 0.3;
/** Weight of term coverage next to the centrality/support/lead score. */
const COVERAGE_WEIGHT = 0.2;
/** Looser bounds used only when the strict ones leave the summary under two sentences or minWords. */
const REDUNDANT_FALLBACK = 0.35;
const SLACK_WORDS = 10;
const CANDIDATE_BUDGET = 240;
const MIN_PER_ARTICLE = 3;
const MAX_PER_ARTICLE = 12;

/** Corpus statistics the scorer needs: how many articles use each term. */
export interface TermStats {
  df: Map<string, number>;
  documents: number;
}

export function termStats(articles: DedupedArticle[]): TermStats {
  const df = new Map<string, number>();
  for (const article of articles) {
    if (article.duplicateOf) continue;
    const terms = new Set(article.paragraphs.flatMap((p) => contentTerms(p.text)));
    for (const term of terms) df.set(term, (df.get(term) ?? 0) + 1);
  }
  return { df, documents: articles.filter((a) => !a.duplicateOf).length };
}

interface Candidate {
  text: string;
  article: number;
  position: number;
  words: number;
  vector: Map<string, number>;
  terms: string[];
  eligible: boolean;
}

// Openings that lean on an earlier sentence: pronouns, demonstratives, and connectives that
// continue an argument ("Instead", "As a result", "In addition").
const OPENS_WITH_REFERENCE =
  /^(?:he|she|they|it|this|that|these|those|his|her|their|its|him|them|but|and|or|so|also|however|meanwhile|still|yet|then|there|here|such|the two|both|instead|as a (?:result|substitute|consequence)|in addition|additionally|moreover|furthermore|besides|likewise|similarly|otherwise|therefore|thus|hence|nevertheless|nonetheless|for (?:example|instance)|in (?:turn|contrast|response)|by contrast|even so|that's|it's)\b/i;
// A short opening phrase, then a pronoun subject: "On Monday, he said", "As a substitute, that authority".
const REFERENCE_AFTER_OPENER = /^[^,]{1,30},\s+(?:he|she|they|it|this|that|these|those|his|her|their|its)\b/i;

/** Can a reader understand this sentence without its neighbours? */
export function isSelfContained(sentence: string): boolean {
  const words = wordCount(sentence);
  if (words < 8 || words > 55) return false;
  if (!/[.!]["'\u201D\u2019)]?$/.test(sentence)) return false; // headlines, questions, fragments
  if (/^["'\u201C\u2018\u2014-]/.test(sentence)) return false; // opens inside a quote
  if (OPENS_WITH_REFERENCE.test(sentence) || REFERENCE_AFTER_OPENER.test(sentence)) return false;
  if (isCaption(sentence)) return false;
  const quoted = sentence.match(/["\u201C][^"\u201D]*["\u201D]/g) ?? [];
  const quotedWords = quoted.reduce((n, q) => n + wordCount(q), 0);
  if (quotedWords > words * 0.4) return false;
  if ((sentence.match(/["\u201C\u201D]/g) ?? []).length % 2 === 1) return false;
  return true;
}

function idf(term: string, stats: TermStats): number {
  return Math.log((stats.documents + 1) / ((stats.df.get(term) ?? 0) + 0.5)) + 1;
}

function sentenceVector(terms: string[], stats: TermStats): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const vector = new Map<string, number>();
  let norm = 0;
  for (const [term, count] of counts) {
    const weight = count * idf(term, stats);
    vector.set(term, weight);
    norm += weight * weight;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [term, weight] of vector) vector.set(term, weight / norm);
  return vector;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
  return dot;
}

/** LexRank: PageRank over the sentence-similarity graph (edges above a cosine floor). */
function lexRank(candidates: Candidate[], floor = 0.1, damping = 0.85): number[] {
  const n = candidates.length;
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (cosine(candidates[i].vector, candidates[j].vector) >= floor) {
        neighbours[i].push(j);
        neighbours[j].push(i);
      }
    }
  }
  let rank = new Array<number>(n).fill(1 / n);
  for (let iteration = 0; iteration < 30; iteration++) {
    const next = new Array<number>(n).fill((1 - damping) / n);
    for (let i = 0; i < n; i++) {
      const out = neighbours[i].length;
      if (out === 0) {
        for (let j = 0; j < n; j++) next[j] += (damping * rank[i]) / n;
      } else {
        for (const j of neighbours[i]) next[j] += (damping * rank[i]) / out;
      }
    }
    rank = next;
  }
  const max = Math.max(...rank) || 1;
  return rank.map((r) => r / max);
}

export function summarize(
  articles: DedupedArticle[],
  stats: TermStats,
  options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
): SummarySentence[] {
  const ids = new Set(articles.map((a) => a.id));
  const originals = articles.map((_, i) => i).filter((i) => !articles[i].duplicateOf || !ids.has(articles[i].duplicateOf!));
  const sources = originals.length;
  // Bounded work for big stories: fewer sentences per article as sources grow. News puts what
  // matters first, so the cut loses little.
  const perArticle = Math.max(MIN_PER_ARTICLE, Math.min(MAX_PER_ARTICLE, Math.floor(CANDIDATE_BUDGET / Math.max(1, sources))));
  const candidates: Candidate[] = [];
  for (const index of originals) {
    let position = 0;
    for (const text of articles[index].paragraphs.flatMap((p) => p.sentences)) {
      if (position >= perArticle) break;
      const terms = contentTerms(text);
      if (terms.length === 0) continue;
      candidates.push({
        text,
        article: index,
        position: position++,
        words: wordCount(text),
        terms,
        vector: sentenceVector(terms, stats),
        eligible: isSelfContained(text),
      });
    }
  }
  if (candidates.length === 0) return [];
  const centrality = lexRank(candidates);
  const scores = candidates.map((candidate, i) => {
    // Support: how strongly other sources say the same thing.
    let support = 0;
    if (sources > 1) {
      const best = new Map<number, number>();
      for (const other of candidates) {
        if (other.article === candidate.article) continue;
        const s = cosine(candidate.vector, other.vector);
        if (s > (best.get(other.article) ?? 0)) best.set(other.article, s);
      }
      for (const s of best.values()) support += s;
      support /= sources - 1;
    }
    const lead = 1 / Math.sqrt(1 + candidate.position);
    // Words no other source and almost no other article uses mark spun or garbled text.
    const rare = candidate.terms.filter((t) => (stats.df.get(t) ?? 0) <= 1).length / candidate.terms.length;
    const fluency = sources > 1 ? 1 - 0.5 * rare : 1;
    return (0.35 * centrality[i] + 0.35 * support + 0.3 * lead) * fluency;
  });

  // Coverage: a term is worth what most sources agree on (share of sources using it, squared)
  // times how specific it is (idf), so dates, places and names that several outlets print
  // ("July 28", "Tokyo") pull in the sentence that states them; one outlet's angle, or a
  // clustering stray's topic, counts for little. Covered terms earn nothing twice.
  const storyDf = new Map<string, number>();
  for (const index of originals) {
    const used = new Set<string>(contentTerms(articles[index].title));
    for (const c of candidates) if (c.article === index) for (const t of c.terms) used.add(t);
    for (const t of used) storyDf.set(t, (storyDf.get(t) ?? 0) + 1);
  }
  const termWeight = new Map<string, number>();
  for (const [t, n] of storyDf) termWeight.set(t, (n / sources) ** 2 * idf(t, stats));
  const covered = new Set<string>();
  const gain = (i: number) => {
    let g = 0;
    for (const t of new Set(candidates[i].terms)) if (!covered.has(t)) g += termWeight.get(t) ?? 0;
    return g;
  };
  const gainNorm = Math.max(...candidates.map((_, i) => gain(i))) || 1;

  let pool = candidates.map((_, i) => i).filter((i) => candidates[i].eligible);
  if (pool.length === 0) pool = candidates.map((_, i) => i);
  const chosen: number[] = [];
  let words = 0;
  const pick = (maxWords: number, done: () => boolean) => {
    while (chosen.length < options.maxSentences && pool.length > 0 && !done()) {
      let best = -1;
      let bestValue = -Infinity;
      for (const i of pool) {
        const redundancy = chosen.reduce((m, j) => Math.max(m, cosine(candidates[i].vector, candidates[j].vector)), 0);
        if (redundancy >= REDUNDANT) continue; // says what a chosen sentence says
        if (chosen.length > 0 && words + candidates[i].words > maxWords) continue;
        const value = 0.75 * scores[i] - 0.25 * redundancy + COVERAGE_WEIGHT * (gain(i) / gainNorm);
        if (value > bestValue + 1e-12) {
          bestValue = value;
          best = i;
        }
      }
      if (best < 0) return;
      chosen.push(best);
      words += candidates[best].words;
      for (const t of candidates[best].terms) covered.add(t);
      pool = pool.filter((i) => i !== best);
    }
  };
  pick(options.maxWords, () => words >= options.targetWords && chosen.length >= 2);
  // Too short because the next sentence would break the cap: a little more length beats a
  // one-sentence digest. Never a looser redundancy bound: when every other sentence restates
  // the lead, one sentence is the honest summary.
  pick(options.maxWords + SLACK_WORDS, () => words >= options.minWords && chosen.length >= 2);
  // Read in story order: earlier articles first, each article's sentences in their own order.
  chosen.sort((a, b) => candidates[a].article - candidates[b].article || candidates[a].position - candidates[b].position);
  return chosen.map((i) => ({ text: candidates[i].text, articles: statingArticles(candidates[i], candidates, articles) }));
}

/** Every article that states the sentence: its own, others with a near-identical sentence, and copies of those. */
function statingArticles(sentence: Candidate, candidates: Candidate[], articles: DedupedArticle[]): string[] {
  const stating = new Set<number>([sentence.article]);
  for (const other of candidates) {
    if (stating.has(other.article)) continue;
    if (cosine(sentence.vector, other.vector) >= 0.6) stating.add(other.article);
  }
  const ids = new Set([...stating].map((i) => articles[i].id));
  for (const article of articles) {
    if (article.duplicateOf && ids.has(article.duplicateOf)) ids.add(article.id);
  }
  return articles.filter((a) => ids.has(a.id)).map((a) => a.id);
}
