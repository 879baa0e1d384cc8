// Stage 4, cluster: group articles that report the same real-world event into one story.
// Articles are TF-IDF vectors over stemmed content words plus the names and numbers they
// mention (weighted up: two different earthquakes share "quake", "magnitude", "killed";
// they do not share a place, a date or a death toll). Stories are formed by average-linkage
// agglomeration over candidate pairs from an inverted index; copies follow their original.
import { STOPWORDS, contentTerms, normalizeText, stem } from "./text";
import type { DedupedArticle } from "./types";

export interface ClusterOptions {
  /** Average-link cosine at or above which two groups are one story. */
  threshold: number;
  /** Extra weight of a name or number over an ordinary word. */
  entityWeight: number;
}

export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = { threshold: 0.2, entityWeight: 2 };

/** Terms a reader would use to tell events apart: names (capitalized words mid-sentence) and numbers. */
export function entityTerms(text: string): string[] {
  const out: string[] = [];
  const normalized = normalizeText(text);
  for (const sentence of normalized.split(/(?<=[.!?])\s+|\n+/)) {
    const words = sentence.split(/\s+/);
    words.forEach((raw, index) => {
      const word = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "").replace(/'s$/, "");
      if (!word) return;
      if (/^\d[\d.,]*$/.test(word)) {
        const value = word.replace(/,/g, "").replace(/\.$/, "");
        if (value.length >= 2 || /\./.test(value)) out.push("#" + value);
        return;
      }
      if (index === 0 || !/^\p{Lu}/u.test(word)) return;
      for (const part of word.toLowerCase().split(/[-.]/)) {
        if (part.length >= 2 && !STOPWORDS.has(part)) out.push("@" + stem(part));
      }
    });
  }
  return out;
}

export type SparseVector = Map<string, number>;

/** Raw term counts for one article: title twice (headlines name the event), body once. */
export function articleTerms(article: DedupedArticle): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (term: string, weight: number): void => {
    counts.set(term, (counts.get(term) ?? 0) + weight);
  };
  const titleWeight = article.titleFromLead ? 0 : 2;
  const body = article.paragraphs.map((p) => p.text).join("\n");
  for (const term of contentTerms(article.title)) add(term, titleWeight);
  for (const term of entityTerms(article.title)) add(term, titleWeight);
  for (const term of contentTerms(body)) add(term, 1);
  for (const term of entityTerms(body)) add(term, 1);
  return counts;
}

export function tfidfVectors(termCounts: Map<string, number>[], options: ClusterOptions): SparseVector[] {
  const df = new Map<string, number>();
  for (const counts of termCounts) for (const term of counts.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = termCounts.length;
  return termCounts.map((counts) => {
    const vector: SparseVector = new Map();
    let norm = 0;
    for (const [term, count] of counts) {
      if (count <= 0) continue;
      const idf = Math.log((n + 1) / ((df.get(term) ?? 0) + 0.5));
      const boost = term.startsWith("@") || term.startsWith("#") ? options.entityWeight : 1;
      const weight = (1 + Math.log(count)) * Math.max(idf, 0.1) * boost;
      vector.set(term, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [term, weight] of vector) vector.set(term, weight / norm);
    return vector;
  });
}

export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) {
    const other = large.get(term);
    if (other !== undefined) dot += weight * other;
  }
  return dot;
}

/** Candidate pairs: documents sharing one of each other's strongest terms (inverted index, not all pairs). */
function candidatePairs(vectors: SparseVector[], topTerms = 40): [number, number][] {
  const index = new Map<string, number[]>();
  vectors.forEach((vector, doc) => {
    const top = [...vector.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, topTerms);
    for (const [term] of top) {
      const list = index.get(term);
      if (list) list.push(doc);
      else index.set(term, [doc]);
    }
  });
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  const n = vectors.length;
  const cap = Math.max(50, Math.ceil(n * 0.05));
  for (const docs of index.values()) {
    if (docs.length < 2 || docs.length > cap) continue;
    for (let x = 0; x < docs.length; x++) {
      for (let y = x + 1; y < docs.length; y++) {
        const key = docs[x] * n + docs[y];
        if (seen.has(key)) continue;
        seen.add(key);
        pairs.push([docs[x], docs[y]]);
      }
    }
  }
  return pairs;
}

/**
 * Average-linkage agglomeration over a sparse similarity graph. Missing pairs count as 0,
 * so a group only grows when most of its members agree. Deterministic: ties break on index.
 */
export function averageLinkage(n: number, edges: [number, number, number][], threshold: number): number[] {
  const members = Array.from({ length: n }, (_, i) => [i]);
  const sums = Array.from({ length: n }, () => new Map<number, number>());
  for (const [i, j, s] of edges) {
    sums[i].set(j, (sums[i].get(j) ?? 0) + s);
    sums[j].set(i, (sums[j].get(i) ?? 0) + s);
  }
  const alive = new Array<boolean>(n).fill(true);
  for (;;) {
    let best = -1;
    let bestA = -1;
    let bestB = -1;
    for (let a = 0; a < n; a++) {
      if (!alive[a]) continue;
      for (const [b, sum] of sums[a]) {
        if (b <= a || !alive[b]) continue;
        const avg = sum / (members[a].length * members[b].length);
        if (avg > best + 1e-12) {
          best = avg;
          bestA = a;
          bestB = b;
        }
      }
    }
    if (best < threshold || bestA < 0) break;
    // Merge bestB into bestA.
    alive[bestB] = false;
    members[bestA] = members[bestA].concat(members[bestB]);
    for (const [c, sum] of sums[bestB]) {
      if (c === bestA) continue;
      sums[bestA].set(c, (sums[bestA].get(c) ?? 0) + sum);
      sums[c].set(bestA, (sums[c].get(bestA) ?? 0) + sum);
      sums[c].delete(bestB);
    }
    sums[bestA].delete(bestB);
    sums[bestB].clear();
  }
  const label = new Array<number>(n).fill(-1);
  for (let a = 0; a < n; a++) if (alive[a]) for (const m of members[a]) label[m] = a;
  return label;
}

/** Group articles into stories; returns groups of article indices, copies with their originals. */
export function cluster(articles: DedupedArticle[], options: ClusterOptions = DEFAULT_CLUSTER_OPTIONS): number[][] {
  const byId = new Map(articles.map((article, index) => [article.id, index]));
  const originals = articles.map((_, i) => i).filter((i) => articles[i].duplicateOf === null || !byId.has(articles[i].duplicateOf!));
  const vectors = tfidfVectors(originals.map((i) => articleTerms(articles[i])), options);
  const edges: [number, number, number][] = [];
  for (const [x, y] of candidatePairs(vectors)) {
    const similarity = cosine(vectors[x], vectors[y]);
    if (similarity > 0.02) edges.push([x, y, similarity]);
  }
  const labels = averageLinkage(originals.length, edges, options.threshold);
  const groups = new Map<number, number[]>();
  originals.forEach((articleIndex, x) => {
    const group = groups.get(labels[x]);
    if (group) group.push(articleIndex);
    else groups.set(labels[x], [articleIndex]);
  });
  const groupOf = new Map<number, number[]>();
  for (const group of groups.values()) for (const i of group) groupOf.set(i, group);
  articles.forEach((article, i) => {
    if (groupOf.has(i)) return;
    const root = originalOf(articles, byId, i);
    groupOf.get(root)!.push(i);
  });
  return [...groups.values()].map((group) => group.sort((a, b) => a - b));
}

function originalOf(articles: DedupedArticle[], byId: Map<string, number>, i: number): number {
  let current = i;
  for (let hops = 0; hops < articles.length && articles[current].duplicateOf; hops++) {
    const next = byId.get(articles[current].duplicateOf!);
    if (next === undefined) break;
    current = next;
  }
  return current;
}
