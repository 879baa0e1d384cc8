// Scoring for the digest against labelled corpora: story grouping (B-cubed, pairwise,
// adjusted Rand index), summaries (ROUGE-1/2/L F1) and near-duplicate flags.
//
// Pure functions only, no Node APIs and no I/O, so the same code runs in the Node eval
// script (scripts/eval.ts) and in the vitest suite inside workerd. Reading corpora,
// running the digest and printing reports belong to the script, not here.

import { stemmer } from "stemmer";

/** An assignment of items to labels: a Map (any item type) or a plain record keyed by item. */
export type Assignment<T = string, L = unknown> = ReadonlyMap<T, L> | Readonly<Record<string, L>>;

export interface PRF {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClusteringScores {
  /** Items scored: the gold items (prediction-only items are ignored). */
  items: number;
  /** Gold items the prediction did not place anywhere (scored as singletons). */
  missing: number;
  /** Predicted clusters among the scored items (missing items count one each). */
  predictedClusters: number;
  goldClusters: number;
  bcubed: PRF;
  pairwise: PRF;
  ari: number;
}

function toMap<T, L>(a: Assignment<T, L>): ReadonlyMap<T, L> {
  if (a instanceof Map) return a as ReadonlyMap<T, L>;
  return new Map(Object.entries(a as Record<string, L>)) as unknown as ReadonlyMap<T, L>;
}

function f1(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** n choose 2, as a float: pair counts on big corpora stay well within 2^53. */
function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

/**
 * Cross-tabulation of predicted against gold clusters over the gold items.
 * Cluster ids are dense indexes so the metrics below never compare label values.
 */
interface Contingency {
  items: number;
  missing: number;
  /** Item count per "predicted,gold" cluster-index pair (non-zero cells only). */
  cells: Map<string, number>;
  predSizes: number[];
  goldSizes: number[];
  /** Per item, its predicted and gold cluster index (for B-cubed). */
  assignments: Array<[number, number]>;
}

function contingency<T>(predicted: Assignment<T>, gold: Assignment<T>): Contingency {
  const pred = toMap(predicted);
  const goldMap = toMap(gold);
  const predIndex = new Map<unknown, number>();
  const goldIndex = new Map<unknown, number>();
  const predSizes: number[] = [];
  const goldSizes: number[] = [];
  const cells = new Map<string, number>();
  const assignments: Array<[number, number]> = [];
  let missing = 0;

  for (const [item, goldLabel] of goldMap) {
    let g = goldIndex.get(goldLabel);
    if (g === undefined) {
      g = goldSizes.length;
      goldIndex.set(goldLabel, g);
      goldSizes.push(0);
    }
    goldSizes[g]++;

    let p: number;
    if (pred.has(item)) {
      const predLabel = pred.get(item);
      const known = predIndex.get(predLabel);
      if (known === undefined) {
        p = predSizes.length;
        predIndex.set(predLabel, p);
        predSizes.push(0);
      } else {
        p = known;
      }
    } else {
      // An item the system dropped (rejected, lost) was still not grouped with anything,
      // so it is its own cluster; ignoring it instead would flatter recall.
      missing++;
      p = predSizes.length;
      predSizes.push(0);
    }
    predSizes[p]++;

    const key = `${p},${g}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    assignments.push([p, g]);
  }

  return { items: assignments.length, missing, cells, predSizes, goldSizes, assignments };
}

function bcubedFrom(c: Contingency): PRF {
  // Empty gold: nothing can be wrong; 1 keeps averages over corpora well defined.
  if (c.items === 0) return { precision: 1, recall: 1, f1: 1 };
  let p = 0;
  let r = 0;
  for (const [pi, gi] of c.assignments) {
    const overlap = c.cells.get(`${pi},${gi}`)!;
    p += overlap / c.predSizes[pi];
    r += overlap / c.goldSizes[gi];
  }
  const precision = p / c.items;
  const recall = r / c.items;
  return { precision, recall, f1: f1(precision, recall) };
}

function pairwiseFrom(c: Contingency): PRF {
  let tp = 0;
  for (const n of c.cells.values()) tp += pairs(n);
  const predPairs = c.predSizes.reduce((s, n) => s + pairs(n), 0);
  const goldPairs = c.goldSizes.reduce((s, n) => s + pairs(n), 0);
  // 0/0 is scored 1: a system that links nothing makes no wrong links (precision), and a
  // gold with no pairs leaves nothing to find (recall). This matches B-cubed on singletons.
  const precision = predPairs === 0 ? 1 : tp / predPairs;
  const recall = goldPairs === 0 ? 1 : tp / goldPairs;
  return { precision, recall, f1: f1(precision, recall) };
}

function ariFrom(c: Contingency): number {
  const sumCells = [...c.cells.values()].reduce((s, n) => s + pairs(n), 0);
  const sumPred = c.predSizes.reduce((s, n) => s + pairs(n), 0);
  const sumGold = c.goldSizes.reduce((s, n) => s + pairs(n), 0);
  const total = pairs(c.items);
  if (total === 0) return 1;
  const expected = (sumPred * sumGold) / total;
  const max = (sumPred + sumGold) / 2;
  // Denominator 0 only when both partitions are the same trivial one (all singletons or
  // all together); they agree perfectly, and scikit-learn also returns 1 there.
  if (max === expected) return 1;
  return (sumCells - expected) / (max - expected);
}

/** B-cubed precision/recall/F1 (Bagga & Baldwin 1998), averaged over gold items. */
export function bcubed<T>(predicted: Assignment<T>, gold: Assignment<T>): PRF {
  return bcubedFrom(contingency(predicted, gold));
}

/** Pairwise precision/recall/F1 over item pairs placed in the same cluster. */
export function pairwise<T>(predicted: Assignment<T>, gold: Assignment<T>): PRF {
  return pairwiseFrom(contingency(predicted, gold));
}

/** Adjusted Rand index (Hubert & Arabie 1985): 1 perfect, about 0 chance, can go negative. */
export function adjustedRandIndex<T>(predicted: Assignment<T>, gold: Assignment<T>): number {
  return ariFrom(contingency(predicted, gold));
}

/**
 * All clustering scores at once. Only items in `gold` are scored; items missing from
 * `predicted` are treated as singletons.
 */
export function clusteringMetrics<T>(
  predicted: Assignment<T>,
  gold: Assignment<T>,
): ClusteringScores {
  const c = contingency(predicted, gold);
  return {
    items: c.items,
    missing: c.missing,
    predictedClusters: c.predSizes.length,
    goldClusters: c.goldSizes.length,
    bcubed: bcubedFrom(c),
    pairwise: pairwiseFrom(c),
    ari: ariFrom(c),
  };
}

// ---------------------------------------------------------------------------------------
// ROUGE

/**
 * Tokens as Google's rouge-score produces them with use_stemmer=True, so numbers are
 * comparable with published results: lowercase, anything outside [a-z0-9] splits
 * tokens, and only tokens longer than 3 characters are stemmed (rouge-score leaves short
 * ones alone because the Porter stemmer mangles them). rouge-score uses NLTK's Porter
 * variant; wooorm's is the original algorithm, which differs on a handful of rare words.
 */
export function rougeTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .split(" ")
    .filter((t) => t.length > 0)
    .map((t) => (t.length > 3 ? stemmer(t) : t));
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    // Tokens are [a-z0-9]+ so a space cannot collide inside a key.
    const key = tokens.slice(i, i + n).join(" ");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function scoreNgrams(candidate: readonly string[], reference: readonly string[], n: number): PRF {
  const cand = ngramCounts(candidate, n);
  const ref = ngramCounts(reference, n);
  let overlap = 0;
  let candTotal = 0;
  let refTotal = 0;
  for (const c of cand.values()) candTotal += c;
  for (const [gram, c] of ref) {
    refTotal += c;
    // Clipped counts: repeating a matching word does not earn credit twice.
    overlap += Math.min(c, cand.get(gram) ?? 0);
  }
  // max(.., 1) as in rouge-score: an empty side scores 0 rather than NaN.
  const precision = overlap / Math.max(candTotal, 1);
  const recall = overlap / Math.max(refTotal, 1);
  return { precision, recall, f1: f1(precision, recall) };
}

function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  // Two rolling rows: summaries can be a few hundred tokens, a full table is wasted memory.
  let prev = new Array<number>(b.length + 1).fill(0);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

function scoreLcs(candidate: readonly string[], reference: readonly string[]): PRF {
  if (candidate.length === 0 || reference.length === 0) return { precision: 0, recall: 0, f1: 0 };
  const lcs = lcsLength(reference, candidate);
  const precision = lcs / candidate.length;
  const recall = lcs / reference.length;
  return { precision, recall, f1: f1(precision, recall) };
}

/** ROUGE-N between a system text and a reference text. */
export function rougeN(candidate: string, reference: string, n: number): PRF {
  return scoreNgrams(rougeTokens(candidate), rougeTokens(reference), n);
}

/**
 * ROUGE-L over each whole text as one token sequence (rouge-score's "rougeL", not the
 * sentence-split "rougeLsum"): digest summaries are a few sentences, and splitting them
 * would make scores depend on the sentence splitter rather than on content.
 */
export function rougeL(candidate: string, reference: string): PRF {
  return scoreLcs(rougeTokens(candidate), rougeTokens(reference));
}

export interface RougeScores {
  rouge1: number;
  rouge2: number;
  rougeL: number;
}

/** ROUGE-1, ROUGE-2 and ROUGE-L F1 of `candidate` against `reference`, tokenizing once. */
export function rougeScores(candidate: string, reference: string): RougeScores {
  const c = rougeTokens(candidate);
  const r = rougeTokens(reference);
  return {
    rouge1: scoreNgrams(c, r, 1).f1,
    rouge2: scoreNgrams(c, r, 2).f1,
    rougeL: scoreLcs(c, r).f1,
  };
}

// ---------------------------------------------------------------------------------------
// Near-duplicates

export interface DuplicateScores {
  /** Gold (copy, original) pairs. */
  pairs: number;
  /** Gold pairs flagged in either direction. */
  found: number;
  /** found / pairs (1 when there are no gold pairs: nothing to miss). */
  copyRecall: number;
  /**
   * Found pairs flagged the right way round (the copy `duplicateOf` its original). Recall does
   * not judge direction, but a reader does: the original is what titles and summaries quote.
   */
  rightWay: number;
  /** Articles scored (the denominator of the false-duplicate rate). */
  scored: number;
  /** Scored articles flagged as a duplicate of anything but their gold partner. */
  falseFlags: number;
  falseDuplicateRate: number;
}

/**
 * Scores duplicate flags.
 *
 * `predicted` maps an article to the article it was flagged `duplicateOf` (null or absent
 * when not flagged); both sides must use the same item names as `gold` (corpus paths).
 * `gold` maps each copy to its original. `scored` is the set of articles the false rate is
 * taken over (normally every labelled article); it defaults to the keys of `predicted`.
 *
 * A pair counts as found when either side points at the other: which of two near-equal
 * texts is "the original" is often not knowable from the texts, so recall does not judge
 * direction; `rightWay` counts the found pairs that point the gold way. Strict otherwise: two
 * articles both pointing at a third does not count.
 */
export function duplicateMetrics(
  predicted: Assignment<string, string | null | undefined>,
  gold: Assignment<string, string>,
  scored?: Iterable<string>,
): DuplicateScores {
  const pred = toMap(predicted);
  const goldMap = toMap(gold);

  // An original may have several copies, so partners are sets.
  const partners = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    let s = partners.get(a);
    if (!s) partners.set(a, (s = new Set()));
    s.add(b);
  };
  let found = 0;
  let rightWay = 0;
  for (const [copy, original] of goldMap) {
    link(copy, original);
    link(original, copy);
    if (pred.get(copy) === original) rightWay++;
    if (pred.get(copy) === original || pred.get(original) === copy) found++;
  }

  const items = new Set(scored ?? pred.keys());
  let falseFlags = 0;
  for (const item of items) {
    const flag = pred.get(item);
    if (flag == null) continue;
    if (!partners.get(item)?.has(flag)) falseFlags++;
  }

  const pairCount = goldMap.size;
  return {
    pairs: pairCount,
    found,
    copyRecall: pairCount === 0 ? 1 : found / pairCount,
    rightWay,
    scored: items.size,
    falseFlags,
    falseDuplicateRate: items.size === 0 ? 0 : falseFlags / items.size,
  };
}
