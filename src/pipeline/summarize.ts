// Stage 5, summarize: a multi-document extractive summary per story. Sentences are scored by
// centrality (LexRank over the story's sentences), cross-source support and lead position,
// filtered for self-containedness, and chosen by MMR so no two say the same thing. Each chosen
// sentence lists every article that states it; copies state what their original states.
import { isCaption } from "./signals";
import { contentTerms, wordCount } from "./text";
import type { DedupedArticle, SummarySentence } from "./types";

export interface SummaryOptions {
  minWords: number;
  maxWords: number;
  maxSentences: number;
}

export const DEFAULT_SUMMARY_OPTIONS: SummaryOptions = { minWords: 40, maxWords: 80, maxSentences: 4 };

export const KNOBS = {
  wCentral: 0.35,
  wSupport: 0.35,
  wLead: 0.3,
  wTitle: 0,
  wCentroid: 0,
  rarePenalty: 0.5,
  redundancyCap: 0.45,
  mmrLambda: 0.75,
  targetWords: 40,
  overshoot: 10,
  leadExp: 0.5,
  lexFloor: 0.1,
  perArticle: 12,
  topical: 0,
  crossOnly: 0,
  wCov: 0,
  covPow: 1,
  covLen: 0.5,
  covIdf: 0,
  supportMode: 0,
};

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

const OPENS_WITH_REFERENCE = /^(?:he|she|they|it|this|that|these|those|his|her|their|its|him|them|but|and|so|also|however|meanwhile|still|yet|then|there|here|such|the two|both)\b/i;

/** Can a reader understand this sentence without its neighbours? */
export function isSelfContained(sentence: string): boolean {
  const words = wordCount(sentence);
  if (words < 8 || words > 55) return false;
  if (!/[.!]["'\u201D\u2019)]?$/.test(sentence)) return false; // headlines, questions, fragments
  if (/^["'\u201C\u2018\u2014-]/.test(sentence)) return false; // opens inside a quote
  if (OPENS_WITH_REFERENCE.test(sentence)) return false;
  if (isCaption(sentence)) return false;
  const quoted = sentence.match(/["\u201C][^"\u201D]*["\u201D]/g) ?? [];
  const quotedWords = quoted.reduce((n, q) => n + wordCount(q), 0);
  if (quotedWords > words * 0.4) return false;
  if ((sentence.match(/["\u201C\u201D]/g) ?? []).length % 2 === 1) return false;
  return true;
}

function sentenceVector(terms: string[], stats: TermStats): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const vector = new Map<string, number>();
  let norm = 0;
  for (const [term, count] of counts) {
    const idf = Math.log((stats.documents + 1) / ((stats.df.get(term) ?? 0) + 0.5)) + 1;
    const weight = count * idf;
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

function normalized(vector: Map<string, number>): Map<string, number> {
  let norm = 0;
  for (const w of vector.values()) norm += w * w;
  norm = Math.sqrt(norm) || 1;
  const out = new Map<string, number>();
  for (const [t, w] of vector) out.set(t, w / norm);
  return out;
}

/** LexRank: PageRank over the sentence-similarity graph (edges above a cosine floor). */
function lexRank(candidates: Candidate[], floor = 0.1, damping = 0.85, crossOnly = false): number[] {
  const n = candidates.length;
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (crossOnly && candidates[i].article === candidates[j].article) continue;
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
  const K = KNOBS;
  const originals = articles.map((a, i) => i).filter((i) => !articles[i].duplicateOf || !articles.some((a) => a.id === articles[i].duplicateOf));
  const candidates: Candidate[] = [];
  for (const index of originals) {
    let position = 0;
    outer: for (const paragraph of articles[index].paragraphs) {
      for (const text of paragraph.sentences) {
        if (position >= K.perArticle) break outer;
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
  }
  if (candidates.length === 0) return [];
  const centrality = lexRank(candidates, K.lexFloor, 0.85, K.crossOnly > 0 && originals.length > 1);
  const sources = originals.length;
  const titleAcc = new Map<string, number>();
  for (const index of originals) {
    if (articles[index].titleFromLead) continue;
    for (const [t, w] of sentenceVector(contentTerms(articles[index].title), stats)) titleAcc.set(t, (titleAcc.get(t) ?? 0) + w);
  }
  const titleVector = normalized(titleAcc);
  const centroidAcc = new Map<string, number>();
  for (const c of candidates) for (const [t, w] of c.vector) centroidAcc.set(t, (centroidAcc.get(t) ?? 0) + w);
  const centroid = normalized(centroidAcc);
  // Article topicality: an article unlike the rest of the story (a clustering stray) speaks for it less.
  const articleAcc = new Map<number, Map<string, number>>();
  for (const c of candidates) {
    const acc = articleAcc.get(c.article) ?? new Map<string, number>();
    for (const [t, w] of c.vector) acc.set(t, (acc.get(t) ?? 0) + w);
    articleAcc.set(c.article, acc);
  }
  const articleVec = new Map([...articleAcc].map(([a, v]) => [a, normalized(v)]));
  const topic = new Map<number, number>();
  for (const [a, v] of articleVec) {
    let sum = 0;
    for (const [b, u] of articleVec) if (a !== b) sum += cosine(v, u);
    topic.set(a, articleVec.size > 1 ? sum / (articleVec.size - 1) : 1);
  }
  const maxTopic = Math.max(...topic.values()) || 1;
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
    const lead = 1 / Math.pow(1 + candidate.position, K.leadExp);
    // Words no other source and almost no other article uses mark spun or garbled text.
    const rare = candidate.terms.filter((t) => (stats.df.get(t) ?? 0) <= 1).length / candidate.terms.length;
    const fluency = sources > 1 ? 1 - K.rarePenalty * rare : 1;
    return (
      (K.wCentral * centrality[i] + K.wSupport * support + K.wLead * lead + K.wTitle * cosine(candidate.vector, titleVector) + K.wCentroid * cosine(candidate.vector, centroid)) *
      fluency *
      (1 - K.topical + K.topical * (topic.get(candidate.article)! / maxTopic))
    );
  });
  // Term coverage: a term weighs by how many of the story's sources use it, so a summary that
  // covers what most sources say beats one that covers one outlet's (or one stray's) angle.
  const storyDf = new Map<string, number>();
  for (const index of originals) {
    const seen = new Set<string>(contentTerms(articles[index].title));
    for (const c of candidates) if (c.article === index) for (const t of c.terms) seen.add(t);
    for (const t of seen) storyDf.set(t, (storyDf.get(t) ?? 0) + 1);
  }
  const termWeight = (t: string) => {
    const share = (storyDf.get(t) ?? 0) / sources;
    const idf = Math.log((stats.documents + 1) / ((stats.df.get(t) ?? 0) + 0.5)) + 1;
    return Math.pow(share, K.covPow) * Math.pow(idf, K.covIdf);
  };
  const covered = new Set<string>();
  const gainOf = (i: number) => {
    let g = 0;
    for (const t of new Set(candidates[i].terms)) if (!covered.has(t)) g += termWeight(t);
    return g / Math.pow(candidates[i].words, K.covLen);
  };
  let gainNorm = 0;
  for (let i = 0; i < candidates.length; i++) gainNorm = Math.max(gainNorm, gainOf(i));
  gainNorm ||= 1;
  if ((KNOBS as any).debug) candidates.forEach((c, i) => console.log(articles[c.article].path, c.position, c.eligible ? "E" : "-", scores[i].toFixed(3), "c", centrality[i].toFixed(2), "g", (gainOf(i)/gainNorm).toFixed(2), c.text.slice(0, 80)));
  let pool = candidates.map((_, i) => i).filter((i) => candidates[i].eligible);
  if (pool.length === 0) pool = candidates.map((_, i) => i);
  const chosen: number[] = [];
  let words = 0;
  while (chosen.length < options.maxSentences && pool.length > 0) {
    let best = -1;
    let bestValue = -Infinity;
    for (const i of pool) {
      const redundancy = chosen.reduce((m, j) => Math.max(m, cosine(candidates[i].vector, candidates[j].vector)), 0);
      if (redundancy >= K.redundancyCap) continue; // says what a chosen sentence says
      if (chosen.length > 0 && words + candidates[i].words > options.maxWords + K.overshoot) continue;
      const value = K.mmrLambda * scores[i] - (1 - K.mmrLambda) * redundancy + K.wCov * gainOf(i) / gainNorm;
      if (value > bestValue + 1e-12) {
        bestValue = value;
        best = i;
      }
    }
    if (best < 0) break;
    chosen.push(best);
    words += candidates[best].words;
    for (const t of candidates[best].terms) covered.add(t);
    pool = pool.filter((i) => i !== best);
    if (words >= K.targetWords && chosen.length >= 2) break;
  }
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
