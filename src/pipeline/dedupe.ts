// Stage 3, dedupe: find exact copies, lightly edited copies, machine-"spun" copies and
// reprinted excerpts, and mark each `duplicateOf` its original.
//
// A copy is the same text, in the same order, up to word-level edits. Spinners swap 15–30%
// of content words for synonyms but reorder nothing, so the copy's tokens line up with the
// original's in one monotone alignment; two outlets' reports of one event share facts,
// names and a quote or two, but their words do not line up in order. The test is therefore
// an ordered alignment (longest chain of shared word pairs in the same order), not a bag
// of shingles. Candidates come from an inverted index over shingles, never from all pairs.
import { STOPWORDS, hash32, tokenize } from "./text";
import type { CleanArticle, DedupedArticle } from "./types";
import { appendTo } from "./collections";

/**
 * Both texts at least this much aligned: a copy. Spun copies align at 0.8 and above (a
 * swapped word breaks the pairs on both sides of it); different reports stay near 0.1–0.5
 * even when they quote the same press release.
 */
export const MUTUAL_COVERAGE = 0.7;
/**
 * A shorter text this much inside a longer one is a reprinted excerpt (a wire story cut to
 * fit). Stricter than MUTUAL_COVERAGE because one-sided containment is easier to reach by
 * chance: a short report that quotes a long release covers most of itself with the quote.
 */
export const EXCERPT_COVERAGE = 0.9;
/** Below this many words a text has no room to show it was copied rather than written alike. */
const MIN_TOKENS = 12;
/** A shingle shared by more documents than this is a stock phrase, not evidence of copying. */
const COMMON_SHINGLE_DF = 40;
/** Pairs sharing less than this share of the smaller text's shingles are not aligned at all. */
const MIN_SHARED_SHINGLES = 0.15;
/** Word pairs this frequent inside one text ("of the") are too ambiguous to anchor an alignment. */
const MAX_ANCHOR_REPEATS = 8;

export interface CopySignature {
  tokens: string[];
  /** Hash of each adjacent word pair, by position: the alignment's anchors. */
  pairs: Int32Array;
  /** Word 3-shingles and stopword-skeleton 8-grams: index keys for finding candidates. */
  keys: Set<number>;
}

export function articleText(article: CleanArticle): string {
  return article.paragraphs.map((p) => p.text).join("\n");
}

export function copySignature(article: CleanArticle): CopySignature {
  const tokens = tokenize(articleText(article));
  const pairs = new Int32Array(Math.max(0, tokens.length - 1));
  for (let i = 0; i + 1 < tokens.length; i++) pairs[i] = hash32(tokens[i] + " " + tokens[i + 1]) | 0;
  const keys = new Set<number>();
  for (let i = 0; i + 3 <= tokens.length; i++) keys.add(hash32(tokens.slice(i, i + 3).join(" ")));
  // The skeleton (function words and numbers in order, content words blanked) survives
  // synonym swapping even where a swap every few words leaves no word 3-shingle intact.
  const shape = tokens.map((token) => (STOPWORDS.has(token) || /\d/.test(token) ? token : "_"));
  for (let i = 0; i + 8 <= shape.length; i++) {
    const gram = shape.slice(i, i + 8);
    if (gram.filter((t) => t !== "_").length >= 3) keys.add(hash32("skeleton " + gram.join(" ")));
  }
  return { tokens, pairs, keys };
}

/**
 * Share of each text's tokens covered by the longest in-order chain of shared word pairs
 * (an LCS over word pairs, computed as a longest increasing subsequence in O(k log k)).
 */
export function alignedCoverage(a: CopySignature, b: CopySignature): [number, number] {
  if (a.pairs.length === 0 || b.pairs.length === 0) return [0, 0];
  const positions = new Map<number, number[]>();
  for (let j = 0; j < b.pairs.length; j++) {
    appendTo(positions, b.pairs[j], j);
  }
  // Anchors in order of i, and of descending j within one i, so a strictly increasing
  // subsequence in j uses each position of `a` at most once.
  const anchorI: number[] = [];
  const anchorJ: number[] = [];
  for (let i = 0; i < a.pairs.length; i++) {
    const list = positions.get(a.pairs[i]);
    if (!list || list.length > MAX_ANCHOR_REPEATS) continue;
    for (let k = list.length - 1; k >= 0; k--) {
      anchorI.push(i);
      anchorJ.push(list[k]);
    }
  }
  const tailJ: number[] = [];
  const tailAnchor: number[] = [];
  const previous = new Int32Array(anchorJ.length);
  for (let x = 0; x < anchorJ.length; x++) {
    const j = anchorJ[x];
    let lo = 0;
    let hi = tailJ.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tailJ[mid] < j) lo = mid + 1;
      else hi = mid;
    }
    tailJ[lo] = j;
    tailAnchor[lo] = x;
    previous[x] = lo > 0 ? tailAnchor[lo - 1] : -1;
  }
  // Count covered tokens: each anchor covers its two words; consecutive anchors overlap.
  let coveredA = 0;
  let coveredB = 0;
  let lastI = -2;
  let lastJ = -2;
  for (let x = tailJ.length ? tailAnchor[tailJ.length - 1] : -1; x >= 0; x = previous[x]) {
    const i = anchorI[x];
    const j = anchorJ[x];
    coveredA += lastI === i + 1 ? 1 : 2;
    coveredB += lastJ === j + 1 ? 1 : 2;
    lastI = i;
    lastJ = j;
  }
  return [coveredA / a.tokens.length, coveredB / b.tokens.length];
}

type CopyKind = "copy" | "excerpt" | null;

/** Whether two texts are one text: near-copies both ways, or the shorter reprinted inside the longer. */
export function copyKind(a: CopySignature, b: CopySignature): CopyKind {
  if (Math.min(a.tokens.length, b.tokens.length) < MIN_TOKENS) return null;
  const [coverA, coverB] = alignedCoverage(a, b);
  if (Math.min(coverA, coverB) >= MUTUAL_COVERAGE) return "copy";
  const coverShorter = a.tokens.length <= b.tokens.length ? coverA : coverB;
  return coverShorter >= EXCERPT_COVERAGE ? "excerpt" : null;
}

export function dedupe(articles: CleanArticle[]): DedupedArticle[] {
  const signatures = articles.map(copySignature);
  const parent = articles.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  // Excerpts point at the text they were cut from; they are not merged into its family
  // because one excerpt may sit inside two different longer versions.
  const excerptOf = new Map<number, { host: number; coverage: number }>();
  for (const [i, j] of candidatePairs(signatures)) {
    const kind = copyKind(signatures[i], signatures[j]);
    if (kind === "copy") {
      const [x, y] = [find(i), find(j)];
      if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
    } else if (kind === "excerpt") {
      const [short, long] = signatures[i].tokens.length <= signatures[j].tokens.length ? [i, j] : [j, i];
      const [cover] = alignedCoverage(signatures[short], signatures[long]);
      const previous = excerptOf.get(short);
      if (!previous || cover > previous.coverage + 1e-12 || (Math.abs(cover - previous.coverage) <= 1e-12 && long < previous.host)) {
        excerptOf.set(short, { host: long, coverage: cover });
      }
    }
  }
  const families = new Map<number, number[]>();
  articles.forEach((_, i) => {
    const root = find(i);
    appendTo(families, root, i);
  });
  const termDf = documentFrequencies(signatures);
  const familyOriginal = new Map<number, number>();
  for (const [root, members] of families) {
    familyOriginal.set(root, members.reduce((best, i) => (isBetterOriginal(articles[i], articles[best], signatures[i], signatures[best], termDf) ? i : best)));
  }
  // Where a whole family was cut from a longer text, the family follows that text's original.
  // Hosts are strictly longer, so following them always ends.
  const rootOriginal = (i: number): number => {
    let current = familyOriginal.get(find(i))!;
    for (let hops = 0; hops <= articles.length; hops++) {
      const host = excerptOfFamily(current);
      if (host === undefined) break;
      current = familyOriginal.get(find(host))!;
    }
    return current;
  };
  function excerptOfFamily(original: number): number | undefined {
    let best: { host: number; coverage: number } | undefined;
    for (const member of families.get(find(original))!) {
      const e = excerptOf.get(member);
      if (e && find(e.host) !== find(original) && (!best || e.coverage > best.coverage + 1e-12 || (Math.abs(e.coverage - best.coverage) <= 1e-12 && e.host < best.host))) best = e;
    }
    return best?.host;
  }
  return articles.map((article, i) => {
    const original = rootOriginal(i);
    return { ...article, duplicateOf: original === i ? null : articles[original].id };
  });
}

/** Pairs sharing enough rare shingles to be worth aligning; stock phrases are skipped. */
function candidatePairs(signatures: CopySignature[]): [number, number][] {
  const index = new Map<number, number[]>();
  signatures.forEach((signature, doc) => {
    for (const key of signature.keys) {
      appendTo(index, key, doc);
    }
  });
  const shared = new Map<number, number>();
  const n = signatures.length;
  for (const docs of index.values()) {
    if (docs.length < 2 || docs.length > COMMON_SHINGLE_DF) continue;
    for (let x = 0; x < docs.length; x++) {
      for (let y = x + 1; y < docs.length; y++) {
        const key = docs[x] * n + docs[y];
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
  }
  const pairs: [number, number][] = [];
  for (const [key, count] of shared) {
    const i = Math.floor(key / n);
    const j = key % n;
    const smaller = Math.min(signatures[i].keys.size, signatures[j].keys.size);
    if (count >= 3 && count >= MIN_SHARED_SHINGLES * smaller) pairs.push([i, j]);
  }
  // Map iteration order follows insertion, which follows input order; sort so the union
  // and the excerpt choices never depend on it.
  return pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}

function documentFrequencies(signatures: CopySignature[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const signature of signatures) {
    for (const token of new Set(signature.tokens)) df.set(token, (df.get(token) ?? 0) + 1);
  }
  return df;
}

/**
 * The original is the earliest dated copy; when dates do not decide, the longer text when
 * one is an excerpt, else the cleaner text: the one whose own words (those the other copy
 * lacks) are more common across the corpus, because a spinner's synonyms are rarer than the
 * words reporters use. Path order breaks exact ties.
 */
function isBetterOriginal(a: CleanArticle, b: CleanArticle, sa: CopySignature, sb: CopySignature, df: Map<string, number>): boolean {
  const dateA = a.published ?? null;
  const dateB = b.published ?? null;
  if (dateA && dateB && dateA !== dateB) return dateA < dateB;
  if (dateA && !dateB) return true;
  if (!dateA && dateB) return false;
  const tokensA = new Set(sa.tokens);
  const tokensB = new Set(sb.tokens);
  const ownCommonness = (own: Set<string>, other: Set<string>): number => {
    let sum = 0;
    let count = 0;
    for (const token of own) {
      if (other.has(token) || STOPWORDS.has(token)) continue;
      sum += Math.log(1 + (df.get(token) ?? 0));
      count++;
    }
    return count ? sum / count : 0;
  };
  const cleanA = ownCommonness(tokensA, tokensB);
  const cleanB = ownCommonness(tokensB, tokensA);
  if (Math.abs(cleanA - cleanB) > 1e-9) return cleanA > cleanB;
  return a.path < b.path;
}
