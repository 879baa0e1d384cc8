// Stage 5, cluster: group articles that report the same real-world event into one story.
// Articles are TF-IDF vectors over stemmed content words plus the names and numbers they
// mention (two different earthquakes share "quake", "magnitude", "killed"; they do not
// share a place, a date or a death toll). The headline and the lead count extra because
// news writing states the event there (content terms as terms.ts read them, names and
// numbers read here). Candidate neighbours come from an inverted index (never all pairs);
// stories are formed by average-linkage agglomeration over that sparse graph, so a group
// only grows when most of its members agree. Copies follow their original.
import { STOPWORDS, contentTerms, headlineCaseKind, isHeadlineCaseCount, isLetterOrDigit, isSpaceCode, isUpperLetter, normalizeText, stem } from "./text";
import type { DedupedArticle } from "./types";
import { appendTo, grown, IntBuffer, NarrowBuffer, nthSmallest, transpose, type CountArray } from "./collections";
import { sentencesOf } from "./clean";
import { isCalendarName } from "./dates";
import { LEAD_SENTENCES, originalIndexes, type TermStats } from "./terms";

interface ClusterOptions {
  /** Average-link similarity at or above which two groups are one story. */
  threshold: number;
  /**
   * Weight of a name or number term. A name is also an ordinary word ("Salazar" gives both
   * "salazar" and "@salazar"), so below 1 it still counts more than a plain word, without
   * letting names shared by two events of one kind (a place, a team) outvote everything else.
   */
  entityWeight: number;
  /** Weight of headline terms, relative to a body occurrence. */
  titleWeight: number;
  /** Extra weight of lead-sentence terms (added to their body occurrence). */
  leadWeight: number;
  /**
   * Pseudo-documents added to the corpus size in IDF: a prior that the corpus is a sample of
   * a larger news stream, so in a corpus of a handful of articles about one event the words
   * they all share still count as evidence instead of getting zero weight.
   */
  idfPrior: number;
  /**
   * Decay scale, in days beyond a week, for dated articles being one event; 0 turns it off.
   * Off by default: on ECB+ one event's reports span weeks to years (follow-ups, trials),
   * and the confusable same-kind events are told apart by names better than by dates.
   */
  dateScaleDays: number;
  /** Average-link similarity, under within-story term weights, that holds a story's parts together. */
  localThreshold: number;
  /** Parts of a story stay apart only when their similarity is below this share of their own cohesion. */
  splitRatio: number;
}

const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = {
  threshold: 0.15,
  entityWeight: 0.7,
  titleWeight: 2,
  leadWeight: 1,
  idfPrior: 10,
  dateScaleDays: 0,
  localThreshold: 0.12,
  splitRatio: 0.55,
};

/** Neighbours kept per article: a story rarely has more sources than this among its nearest. */
const NEIGHBOURS = 24;
/** Strongest terms per article used to look up neighbours. */
const LOOKUP_TERMS = 30;
/**
 * Postings longer than this are topic words ("trump", "police"), not story evidence; bounds
 * per-article work. The labelled corpora and 2,000 synthetic articles group the same at 150,
 * 200 and 400 (not at 100); at 10,000 synthetic articles 200 rather than 400 scores fewer topic-word candidates
 * (corpus-wide build about 0.8 s faster) and finds more of the true stories (1,241 rather than
 * 1,152, of 2,148).
 */
const MAX_POSTING = 200;
/**
 * Candidates per article scored exactly, ranked by the strongest terms they share: about twice
 * the NEIGHBOURS kept, as the kept ones rank near the top (the labelled corpora group the
 * same down to 40; 100 scored twice the products for nothing).
 */
const CANDIDATES = 50;

/**
 * Where each word of a text starts and ends, as `text.split(/\s+/).filter(Boolean)` would cut
 * them, into shared buffers: a word is sliced only when it is read, and most never are.
 */
class WordBounds {
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  count = 0;
  read(text: string): void {
    this.count = 0;
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      const space = i === text.length || isSpaceCode(text.charCodeAt(i));
      if (space && start >= 0) {
        if (this.count === this.starts.length) {
          this.starts = grown(this.starts, 2 * this.count);
          this.ends = grown(this.ends, 2 * this.count);
        }
        this.starts[this.count] = start;
        this.ends[this.count++] = i;
        start = -1;
      } else if (!space && start < 0) start = i;
    }
  }
}
const textWords = new WordBounds();

/**
 * Whether the sentence ends between two words (the first ending at `end`, the next starting
 * at `next`): after end punctuation, or at a line break. This is where splitting the text at
 * /(?<=[.!?])\s+|\n+/ cuts, as the gap between two words is all whitespace.
 */
function endsSentence(text: string, end: number, next: number): boolean {
  const last = text.charCodeAt(end - 1);
  if (last === 0x2e || last === 0x21 || last === 0x3f) return true;
  for (let i = end; i < next; i++) if (text.charCodeAt(i) === 0x0a) return true;
  return false;
}

/**
 * A word without the punctuation around it and without a possessive "'s", case kept (text's
 * bareWord lower-cases and trims only the end: the reading of a word in a phrase).
 */
function nameWord(raw: string): string {
  // Most words start and end with a letter or digit, and then only "'s" can go. (Half a
  // surrogate pair is no letter to isLetterOrDigit: such words take the regexes.)
  if (isLetterOrDigit(raw.charCodeAt(0)) && isLetterOrDigit(raw.charCodeAt(raw.length - 1))) {
    return raw.endsWith("'s") ? raw.slice(0, -2) : raw;
  }
  return raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "").replace(/'s$/, "");
}

/**
 * Terms a reader would use to tell events apart: names (capitalized words mid-sentence) and
 * numbers, appended to `out`. Sentences end after end punctuation and at line breaks, and one
 * in Headline Case (isHeadlineCase's rule, read off the same word bounds) has no names by case. One
 * scan finds the words and where sentences end, so no sentence string is made.
 */
function entityTerms(text: string, out: string[] = []): string[] {
  const normalized = normalizeText(text);
  textWords.read(normalized);
  const { starts, ends, count } = textWords;
  for (let first = 0; first < count; ) {
    let end = first + 1; // the sentence's words are first … end - 1
    while (end < count && !endsSentence(normalized, ends[end - 1], starts[end])) end++;
    let long = 0;
    let capitalized = 0;
    for (let index = first; index < end; index++) {
      const kind = headlineCaseKind(normalized, starts[index], ends[index]);
      if (kind > 0) long++;
      if (kind > 1) capitalized++;
    }
    const namesByCase = !isHeadlineCaseCount(long, capitalized);
    for (let index = first; index < end; index++) {
      // Most words start with a lowercase letter: neither a name nor a number, so skip the regexes.
      const lead = normalized.charCodeAt(starts[index]);
      if (lead >= 97 && lead <= 122) continue;
      const word = nameWord(normalized.slice(starts[index], ends[index]));
      if (!word) continue;
      const firstCode = word.charCodeAt(0);
      if (firstCode >= 0x30 && firstCode <= 0x39 && /^\d[\d.,]*$/.test(word)) {
        const value = word.replace(/,/g, "").replace(/\.$/, "");
        if (value.length >= 2 || /\./.test(value)) out.push("#" + value);
        continue;
      }
      if (!namesByCase || index === first) continue;
      if (!isUpperLetter(word.codePointAt(0)!)) continue;
      const lower = word.toLowerCase();
      // Days and months say when, and outlets date an event each their own way ("Tuesday",
      // "yesterday", "Dec. 16"): as names they only add noise.
      if (isCalendarName(lower)) continue;
      for (const part of lower.includes("-") || lower.includes(".") ? lower.split(/[-.]/) : [lower]) {
        if (part.length >= 2 && !STOPWORDS.has(part)) out.push("@" + stem(part));
      }
    }
    first = end;
  }
  return out;
}

/**
 * Every original article's raw term weights over vocabulary ids, one article after another.
 * Flat arrays rather than arrays per article (10,000 articles hold two million entries, and a
 * typed array costs about 180 bytes besides its values), each the narrowest that holds its
 * values.
 */
interface TermCountTable {
  /** Article x's entries are start[x] up to start[x + 1]. */
  start: Int32Array;
  /** Ids ascending within each article (its vector shares them). */
  ids: Int32Array;
  /** Weights: sums of small whole numbers (a headline word 2, a lead word 1 more, each body use 1), so nearly always bytes. */
  counts: CountArray;
}

/** Builds a TermCountTable article by article (Vocabulary.finish adds each). */
class TermCountTableBuilder {
  private readonly start = new IntBuffer();
  private readonly ids = new IntBuffer();
  private readonly counts = new NarrowBuffer();
  constructor() {
    this.start.push(0);
  }
  /** Adds the next article's terms and counts, and `byId`: their positions in ascending id order. */
  add(ids: readonly number[], counts: readonly number[], byId: Int32Array): void {
    for (let p = 0; p < byId.length; p++) {
      this.ids.push(ids[byId[p]]);
      this.counts.push(counts[byId[p]]);
    }
    this.start.push(this.ids.length);
  }
  table(): TermCountTable {
    return { start: this.start.toArray(), ids: this.ids.toArray(), counts: this.counts.toArray() };
  }
}

/**
 * A unit-length (or summed) sparse vector over interned term ids, ids ascending. An article's
 * own weights are Float32 (a Worker counts typed arrays against its 128 MB: 3 MB less at 4,000
 * articles, and no digest of the labelled corpora or 10,000 synthetic articles changes); sums
 * of merged groups stay Float64.
 */
interface SparseVector {
  ids: Int32Array;
  weights: Float64Array | Float32Array;
}

/** Term → small integer, so vectors are typed arrays and dot products are array walks, not string lookups. */
class Vocabulary {
  private ids = new Map<string, number>();
  readonly terms: string[] = [];
  /** By id: 1 for a name or number term ("@…", "#…"), which options.entityWeight scales. */
  readonly entity: number[] = [];
  id(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
      this.entity.push(term.startsWith("@") || term.startsWith("#") ? 1 : 0);
    }
    return id;
  }

  /** termStats's term id → this vocabulary's id + 1 (0: not met yet). */
  private fromStats: Int32Array;
  constructor(private readonly stats: TermStats) {
    this.fromStats = new Int32Array(stats.terms.length);
  }
  /** The id of one of termStats's terms. */
  corpusTerm(statsId: number): number {
    let id = this.fromStats[statsId] - 1;
    if (id < 0) this.fromStats[statsId] = (id = this.id(this.stats.terms[statsId])) + 1;
    return id;
  }

  // The article being counted: its terms in order of first use, each term's slot + 1 by id.
  private slotOf = new Int32Array(0);
  private countedIds: number[] = [];
  private countedWeights: number[] = [];
  /** Adds `weight` to a term's count in the article being counted (see finish). */
  add(id: number, weight: number): void {
    if (this.slotOf.length <= id) this.slotOf = grown(this.slotOf, 2 * (id + 1));
    const slot = this.slotOf[id];
    if (slot === 0) {
      this.countedIds.push(id);
      this.slotOf[id] = this.countedWeights.push(weight);
    } else this.countedWeights[slot - 1] += weight;
  }
  /** Adds the counts added since the last finish to `table` as one article; the next article starts empty. */
  finish(table: TermCountTableBuilder): void {
    const ids = this.countedIds;
    const counts = this.countedWeights;
    for (const id of ids) this.slotOf[id] = 0;
    this.countedIds = [];
    this.countedWeights = [];
    const byId = new Int32Array(ids.length);
    for (let p = 0; p < byId.length; p++) byId[p] = p;
    byId.sort((x, y) => ids[x] - ids[y]);
    table.add(ids, counts, byId);
  }

  private sharedCounts = new Int32Array(0);
  /** A zeroed count per term id, shared like the probe; hand it back zeroed. */
  termScratch(): Int32Array {
    if (this.sharedCounts.length < this.terms.length) this.sharedCounts = new Int32Array(this.terms.length);
    return this.sharedCounts;
  }
  private sharedProbe: DenseProbe | null = null;
  /** One dense scratch array for all products over this vocabulary (allocating one per group would churn memory). */
  probe(): DenseProbe {
    if (!this.sharedProbe || this.sharedProbe.size < this.terms.length) this.sharedProbe = new DenseProbe(this.terms.length);
    return this.sharedProbe;
  }
}

const EMPTY_VECTOR: SparseVector = { ids: new Int32Array(0), weights: new Float64Array(0) };

function dot(a: SparseVector, b: SparseVector): number {
  let sum = 0;
  let i = 0;
  let j = 0;
  const ai = a.ids;
  const bi = b.ids;
  while (i < ai.length && j < bi.length) {
    const x = ai[i];
    const y = bi[j];
    if (x === y) sum += a.weights[i++] * b.weights[j++];
    else if (x < y) i++;
    else j++;
  }
  return sum;
}

function addVectors(a: SparseVector, b: SparseVector): SparseVector {
  const ai = a.ids;
  const bi = b.ids;
  // The sum's length first, so its arrays are made once at their size: a story's sum is made
  // again at every merge, and arrays made too long and then cut to size were two thirds of
  // what the linkage allocated (10,000 synthetic articles: 188 MB, 61 MB this way).
  let length = 0;
  for (let i = 0, j = 0; i < ai.length || j < bi.length; length++) {
    if (j === bi.length || (i < ai.length && ai[i] < bi[j])) i++;
    else if (i === ai.length || bi[j] < ai[i]) j++;
    else {
      i++;
      j++;
    }
  }
  // A part whose terms the other already has (a report joining a large story) leaves the
  // terms as they were: their array is shared, as no id array is written once made.
  const shared = length === ai.length ? ai : length === bi.length ? bi : null;
  const ids = shared ?? new Int32Array(length);
  const weights = new Float64Array(length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < length; k++) {
    const x = i < ai.length ? ai[i] : Infinity;
    const y = j < bi.length ? bi[j] : Infinity;
    if (x === y) {
      if (!shared) ids[k] = x;
      weights[k] = a.weights[i++] + b.weights[j++];
    } else if (x < y) {
      if (!shared) ids[k] = x;
      weights[k] = a.weights[i++];
    } else {
      if (!shared) ids[k] = y;
      weights[k] = b.weights[j++];
    }
  }
  return { ids, weights };
}

/** Dot products of one vector against many: spread it into a dense array once, then walk each other vector. */
class DenseProbe {
  private dense: Float64Array;
  private current: SparseVector | null = null;
  constructor(readonly size: number) {
    this.dense = new Float64Array(size);
  }
  load(v: SparseVector): void {
    this.clear();
    for (let k = 0; k < v.ids.length; k++) this.dense[v.ids[k]] = v.weights[k];
    this.current = v;
  }
  dot(other: SparseVector): number {
    let sum = 0;
    const dense = this.dense;
    for (let k = 0; k < other.ids.length; k++) sum += dense[other.ids[k]] * other.weights[k];
    return sum;
  }
  clear(): void {
    if (this.current) for (const id of this.current.ids) this.dense[id] = 0;
    this.current = null;
  }
}

/** The lead (its first LEAD_SENTENCES sentences), where news writing states who did what, where and when. */
function leadText(article: DedupedArticle): string {
  return sentencesOf(article, LEAD_SENTENCES).join(" ");
}

/**
 * Raw term weights for one article: headline and lead weighted up, body once. The lead's and
 * the body's content terms are termStats's reading of the article (its first two sentences,
 * and each distinct term with how often the body uses it), not a second one.
 */
function weightedTerms(article: DedupedArticle, options: ClusterOptions, vocabulary: Vocabulary, stats: TermStats, table: TermCountTableBuilder): void {
  // A title made from the lead would count the lead twice over.
  const titleWeight = article.titleFromLead ? 0 : options.titleWeight;
  if (titleWeight > 0) {
    for (const term of contentTerms(article.title)) vocabulary.add(vocabulary.id(term), titleWeight);
    for (const term of entityTerms(article.title)) vocabulary.add(vocabulary.id(term), titleWeight);
  }
  const lead = stats.leads.get(article)!;
  if (options.leadWeight > 0) {
    const end = stats.leadBounds[lead.first + lead.sentences];
    for (let p = stats.leadBounds[lead.first]; p < end; p++) vocabulary.add(vocabulary.corpusTerm(stats.leadTerms[p]), options.leadWeight);
    for (const term of entityTerms(leadText(article))) vocabulary.add(vocabulary.id(term), options.leadWeight);
  }
  for (let p = lead.bodyStart; p < lead.bodyEnd; p++) vocabulary.add(vocabulary.corpusTerm(stats.bodyTerms[p]), stats.bodyCounts[p]);
  // The body's names and numbers paragraph by paragraph: the same as the text's, as
  // entityTerms cuts lines apart, but a paragraph of plain ASCII skips normalization.
  for (const paragraph of article.paragraphs) for (const term of entityTerms(paragraph)) vocabulary.add(vocabulary.id(term), 1);
  vocabulary.finish(table);
}

/**
 * weightedTerms of the articles `originals`, as one table. The builder's buffers (grown by
 * doubling) die with this call: held in cluster()'s frame, they kept 14 MB alive through the
 * linkage at 10,000 articles.
 */
function termCountTable(articles: DedupedArticle[], originals: number[], options: ClusterOptions, vocabulary: Vocabulary, stats: TermStats): TermCountTable {
  const builder = new TermCountTableBuilder();
  for (const i of originals) weightedTerms(articles[i], options, vocabulary, stats, builder);
  return builder.table();
}

/**
 * Unit TF-IDF vectors of the articles `members` (positions in `table`), with document
 * frequencies counted over them. Their weights are views into one array, and their ids into
 * the table's where every term is kept.
 */
function tfidfVectors(table: TermCountTable, members: readonly number[], options: ClusterOptions, vocabulary: Vocabulary): SparseVector[] {
  const { start, ids: allIds, counts: allCounts } = table;
  const df = vocabulary.termScratch();
  let entries = 0;
  for (const x of members) {
    for (let k = start[x]; k < start[x + 1]; k++) df[allIds[k]]++;
    entries += start[x + 1] - start[x];
  }
  const n = members.length + options.idfPrior;
  const allWeights = new Float32Array(entries);
  let used = 0;
  let raw = new Float64Array(64);
  const vectors = members.map((x) => {
    const ids = allIds.subarray(start[x], start[x + 1]);
    const counts = allCounts.subarray(start[x], start[x + 1]);
    if (raw.length < ids.length) raw = new Float64Array(2 * ids.length);
    let norm = 0;
    let kept = 0;
    // The norm is summed in id order, as dot() sums products: ids are handed out in article
    // order, so equal corpora give equal sums (it was summed in each article's first-use order,
    // which cost 3.7 MB at 10,000 articles; no digest measured changed).
    for (let p = 0; p < ids.length; p++) {
      const count = counts[p];
      raw[p] = 0;
      if (count <= 0) continue;
      const idf = Math.log((n + 1) / (df[ids[p]] + 0.5));
      const boost = vocabulary.entity[ids[p]] ? options.entityWeight : 1;
      // Sublinear tf: a word used once scores 1, so a headline word (weight 2) outweighs it
      // but ten repetitions in a long article do not drown the rest.
      const tf = count >= 1 ? 1 + Math.log(count) : count;
      const weight = tf * Math.max(idf, 0.1) * boost;
      if (weight <= 0) continue;
      raw[p] = weight;
      norm += weight * weight;
      kept++;
    }
    norm = Math.sqrt(norm) || 1;
    const vector = { ids: kept === ids.length ? ids : new Int32Array(kept), weights: allWeights.subarray(used, (used += kept)) };
    for (let p = 0, out = 0; p < ids.length; p++) {
      if (raw[p] <= 0) continue;
      if (vector.ids !== ids) vector.ids[out] = ids[p];
      vector.weights[out++] = raw[p] / norm;
    }
    return vector;
  });
  for (const x of members) for (let k = start[x]; k < start[x + 1]; k++) df[allIds[k]] = 0;
  return vectors;
}

const DAY_MS = 86_400_000;

/**
 * How much two publication dates allow one event: 1 within a few days, falling off beyond.
 * Undated articles are not penalized: the absence of a date is not evidence.
 */
function dateAgreement(a: number | null, b: number | null, scaleDays: number): number {
  if (a === null || b === null || !(scaleDays > 0)) return 1;
  const days = Math.abs(a - b) / DAY_MS;
  const grace = 7;
  return days <= grace ? 1 : Math.exp(-(days - grace) / scaleDays);
}

function publishedTime(article: DedupedArticle): number | null {
  if (!article.published) return null;
  const t = Date.parse(article.published);
  return Number.isNaN(t) ? null : t;
}

/**
 * Positions of a vector's LOOKUP_TERMS heaviest terms, heaviest first, ties in term order.
 * Finds the cut-off weight first so only the kept few are sorted by the full order.
 */
function strongestTerms(vector: SparseVector, vocabulary: Vocabulary): number[] {
  const { ids, weights } = vector;
  const before = (x: number, y: number): number => weights[y] - weights[x] || (vocabulary.terms[ids[x]] < vocabulary.terms[ids[y]] ? -1 : 1);
  const cutoff = ids.length <= LOOKUP_TERMS ? -Infinity : nthSmallest(weights, weights.length - LOOKUP_TERMS);
  const kept: number[] = []; // by a loop: Array.from(ids.keys()) made an iterator result per term
  for (let k = 0; k < ids.length; k++) if (weights[k] >= cutoff) kept.push(k);
  kept.sort(before);
  return kept.length > LOOKUP_TERMS ? kept.slice(0, LOOKUP_TERMS) : kept;
}

/** A similarity graph's edges: pairs from[k] < to[k], ascending, with the dot product of their vectors. */
interface Edges {
  from: Int32Array;
  to: Int32Array;
  product: Float64Array;
}

/**
 * Sparse similarity graph: each article's strongest terms are looked up in an inverted
 * index of everyone's strongest terms. Candidates are ranked by what those terms share,
 * the best CANDIDATES are scored exactly, and each article keeps its best NEIGHBOURS.
 * Work per article is bounded by LOOKUP_TERMS × MAX_POSTING plus CANDIDATES exact
 * products, so the whole is O(n). Edges are pairs i < j, ascending, with their dot product; the
 * product is exact (the same sum as dot(), so the linkage need not compute it again).
 */
function neighbourEdges(vectors: SparseVector[], times: (number | null)[], options: ClusterOptions, vocabulary: Vocabulary): Edges {
  const n = vectors.length;
  // Each article's LOOKUP_TERMS strongest terms (ties by term), strongest first, one article
  // after another; then the same entries as postings by term id, articles ascending.
  const topStart = new Int32Array(n + 1);
  const topIds = new Int32Array(n * LOOKUP_TERMS);
  const topWeights = new Float64Array(n * LOOKUP_TERMS);
  for (let doc = 0; doc < n; doc++) {
    const order = strongestTerms(vectors[doc], vocabulary);
    const at = topStart[doc];
    for (let k = 0; k < order.length; k++) {
      topIds[at + k] = vectors[doc].ids[order[k]];
      topWeights[at + k] = vectors[doc].weights[order[k]];
    }
    topStart[doc + 1] = at + order.length;
  }
  // Postings are numbered by lookup term (first use), not by vocabulary id: the per-story
  // passes look up a few hundred terms out of a corpus-wide vocabulary.
  const termOf = vocabulary.termScratch(); // vocabulary id → lookup term + 1
  const looked: number[] = []; // vocabulary id by lookup term
  for (let p = 0; p < topStart[n]; p++) {
    if (termOf[topIds[p]] === 0) termOf[topIds[p]] = looked.push(topIds[p]);
    topIds[p] = termOf[topIds[p]] - 1;
  }
  for (const id of looked) termOf[id] = 0;
  const lookupTerms = looked.length;
  const { start: postingStart, rows: postingDocs, weights: postingWeights } = transpose(topStart, topIds, topWeights, lookupTerms);
  // Every (pair key, product) found, in the order found; a pair both ends list appears twice.
  let keys = new Float64Array(1024);
  let products = new Float64Array(1024);
  let found = 0;
  const seen = new Int32Array(n).fill(-1);
  const shared = new Float64Array(n);
  const probe = vocabulary.probe();
  const similarity = new Float64Array(n);
  const product = new Float64Array(n);
  // Per-article scratch, reused: an article can bring thousands of candidates.
  const candidates = new Int32Array(n);
  const best = new Int32Array(CANDIDATES);
  for (let doc = 0; doc < n; doc++) {
    let candidateCount = 0;
    for (let p = topStart[doc]; p < topStart[doc + 1]; p++) {
      const id = topIds[p];
      const weight = topWeights[p];
      if (postingStart[id + 1] - postingStart[id] > MAX_POSTING) continue;
      for (let q = postingStart[id]; q < postingStart[id + 1]; q++) {
        const other = postingDocs[q];
        if (other === doc) continue;
        if (seen[other] !== doc) {
          seen[other] = doc;
          shared[other] = 0;
          candidates[candidateCount++] = other;
        }
        shared[other] += weight * postingWeights[q];
      }
    }
    let scoring = candidates;
    if (candidateCount > CANDIDATES) {
      candidateCount = strongest(candidates, candidateCount, shared, CANDIDATES, best);
      scoring = best;
    }
    probe.load(vectors[doc]);
    const scored: number[] = [];
    for (let c = 0; c < candidateCount; c++) {
      const other = scoring[c];
      product[other] = probe.dot(vectors[other]);
      similarity[other] = product[other] * dateAgreement(times[doc], times[other], options.dateScaleDays);
      if (similarity[other] > 0.02) scored.push(other);
    }
    scored.sort((x, y) => similarity[y] - similarity[x] || x - y);
    for (let k = 0; k < Math.min(NEIGHBOURS, scored.length); k++) {
      const other = scored[k];
      if (found === keys.length) {
        keys = grown(keys, 2 * found);
        products = grown(products, 2 * found);
      }
      keys[found] = Math.min(doc, other) * n + Math.max(doc, other);
      products[found++] = product[other];
    }
  }
  probe.clear();
  // A pair found from both ends was scored twice with the same result (the same products
  // summed in ascending term id order, zeros aside); one entry is kept.
  const order = new Int32Array(found); // Int32Array.from with a map function went through an iterator, a number per entry
  for (let k = 0; k < found; k++) order[k] = k;
  order.sort((x, y) => keys[x] - keys[y] || x - y);
  const edges: Edges = { from: new Int32Array(found), to: new Int32Array(found), product: new Float64Array(found) };
  let count = 0;
  for (let k = 0; k < found; k++) {
    const at = order[k];
    if (k + 1 < found && keys[order[k + 1]] === keys[at]) continue;
    edges.from[count] = Math.floor(keys[at] / n);
    edges.to[count] = keys[at] % n;
    edges.product[count++] = products[at];
  }
  return { from: edges.from.slice(0, count), to: edges.to.slice(0, count), product: edges.product.slice(0, count) };
}

/**
 * The `k` items with the highest score (ties: lower index first), without sorting them all:
 * a popular term can bring thousands of candidates, and sorting each article's list made the
 * neighbour search superlinear. A min-heap of the best `k` so far, worst on top, kept in
 * `heap`; returns how many it holds, in no particular order.
 */
function strongest(items: Int32Array, count: number, score: Float64Array, k: number, heap: Int32Array): number {
  const worse = (x: number, y: number): boolean => score[x] < score[y] || (score[x] === score[y] && x > y);
  let size = 0;
  for (let c = 0; c < count; c++) {
    const item = items[c];
    let i: number;
    if (size < k) {
      // Sift up from the new last slot.
      i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(item, heap[parent])) break;
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = item;
    } else if (worse(heap[0], item)) {
      // Replace the worst and sift down.
      i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let top = -1;
        if (l < size && worse(heap[l], item)) top = l;
        if (r < size && worse(heap[r], top < 0 ? item : heap[l])) top = r;
        if (top < 0) break;
        heap[i] = heap[top];
        i = top;
      }
      heap[i] = item;
    }
  }
  return size;
}

/**
 * Max-heap of candidate merges: score, the two group ids, and each group's version when
 * scored (older versions are stale). Ties break on the lower ids, a total order over the
 * entries that can still merge, so results never depend on input order. Entries live in
 * typed arrays (a slot each, reused once popped): stale entries pile up as groups grow, and
 * as small arrays they were the largest thing a 10,000-article build held.
 */
class MergeHeap {
  private score = new Float64Array(1024);
  private groups = new Int32Array(2 * 1024);
  private versions = new Int32Array(2 * 1024);
  /** Slots in heap order. */
  private order = new Int32Array(1024);
  private free = new Int32Array(1024);
  private freeCount = 0;
  private slots = 0;
  private size = 0;
  /** The entry pop() took out. */
  readonly top = { a: 0, b: 0, versionA: 0, versionB: 0 };

  private above(x: number, y: number): boolean {
    if (this.score[x] !== this.score[y]) return this.score[x] > this.score[y];
    if (this.groups[2 * x] !== this.groups[2 * y]) return this.groups[2 * x] < this.groups[2 * y];
    return this.groups[2 * x + 1] < this.groups[2 * y + 1];
  }

  push(score: number, a: number, b: number, versionA: number, versionB: number): void {
    let slot: number;
    if (this.freeCount > 0) slot = this.free[--this.freeCount];
    else {
      slot = this.slots++;
      if (slot === this.score.length) {
        this.score = grown(this.score, 2 * slot);
        this.groups = grown(this.groups, 4 * slot);
        this.versions = grown(this.versions, 4 * slot);
        this.order = grown(this.order, 2 * slot);
        this.free = grown(this.free, 2 * slot);
      }
    }
    this.score[slot] = score;
    this.groups[2 * slot] = a;
    this.groups[2 * slot + 1] = b;
    this.versions[2 * slot] = versionA;
    this.versions[2 * slot + 1] = versionB;
    const order = this.order;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(slot, order[parent])) break;
      order[i] = order[parent];
      i = parent;
    }
    order[i] = slot;
  }

  /** Take out the best entry into `top`; false when empty. */
  pop(): boolean {
    if (this.size === 0) return false;
    const order = this.order;
    const slot = order[0];
    const top = this.top;
    top.a = this.groups[2 * slot];
    top.b = this.groups[2 * slot + 1];
    top.versionA = this.versions[2 * slot];
    top.versionB = this.versions[2 * slot + 1];
    this.free[this.freeCount++] = slot;
    const last = order[--this.size];
    if (this.size > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = last;
        let at = i;
        if (l < this.size && this.above(order[l], best)) {
          best = order[l];
          at = l;
        }
        if (r < this.size && this.above(order[r], best)) {
          best = order[r];
          at = r;
        }
        if (at === i) break;
        order[i] = best;
        i = at;
      }
      order[i] = last;
    }
    return true;
  }
}

/**
 * averageLinkage's adjacency: each group's neighbours, with the dot product of the two groups'
 * sums. It starts as the sparse graph itself, each article's neighbours one run, ascending, in
 * flat typed arrays (12 bytes a neighbour, where Maps of boxed numbers took about 32: 14 MB at
 * 10,000 articles, the largest thing the linkage held). A group moves to a Map when a merge
 * gives it a neighbour its run lacks; a neighbour a merge takes away is marked in the run.
 */
class Adjacency {
  private readonly runStart: Int32Array;
  private readonly neighbours: Int32Array;
  /** By run position; NaN once the neighbour is taken away. */
  private readonly products: Float64Array;
  private readonly maps: (Map<number, number> | undefined)[];

  constructor(n: number, edges: Edges) {
    const runStart = new Int32Array(n + 1);
    for (let k = 0; k < edges.from.length; k++) {
      runStart[edges.from[k] + 1]++;
      runStart[edges.to[k] + 1]++;
    }
    for (let x = 0; x < n; x++) runStart[x + 1] += runStart[x];
    // Edges come ascending by (from, to), so each run fills ascending: first the neighbours
    // below it (edges ending at it), then those above.
    const fill = runStart.slice(0, n);
    this.neighbours = new Int32Array(runStart[n]);
    this.products = new Float64Array(runStart[n]);
    for (let k = 0; k < edges.from.length; k++) {
      const a = edges.from[k];
      const b = edges.to[k];
      this.neighbours[fill[a]] = b;
      this.products[fill[a]++] = edges.product[k];
      this.neighbours[fill[b]] = a;
      this.products[fill[b]++] = edges.product[k];
    }
    this.runStart = runStart;
    this.maps = new Array<Map<number, number> | undefined>(n).fill(undefined);
  }

  /** Where `c` sits in a's run, or -1. */
  private position(a: number, c: number): number {
    let low = this.runStart[a];
    let high = this.runStart[a + 1] - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const id = this.neighbours[middle];
      if (id === c) return middle;
      if (id < c) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  get(a: number, c: number): number | undefined {
    const map = this.maps[a];
    if (map) return map.get(c);
    const at = this.position(a, c);
    return at < 0 || Number.isNaN(this.products[at]) ? undefined : this.products[at];
  }

  forEach(a: number, visit: (c: number, product: number) => void): void {
    const map = this.maps[a];
    if (map) {
      for (const [c, product] of map) visit(c, product);
      return;
    }
    for (let at = this.runStart[a]; at < this.runStart[a + 1]; at++) if (!Number.isNaN(this.products[at])) visit(this.neighbours[at], this.products[at]);
  }

  set(a: number, c: number, product: number): void {
    let map = this.maps[a];
    if (!map) {
      const at = this.position(a, c);
      // Only the surviving group of a merge is set, and only merged-away groups are taken
      // away, so this never revives a marked neighbour.
      if (at >= 0) {
        this.products[at] = product;
        return;
      }
      map = new Map();
      this.forEach(a, (d, p) => map!.set(d, p));
      this.maps[a] = map;
    }
    map.set(c, product);
  }

  delete(a: number, c: number): void {
    const map = this.maps[a];
    if (map) map.delete(c);
    else {
      const at = this.position(a, c);
      if (at >= 0) this.products[at] = NaN;
    }
  }

  /** a's neighbours are now exactly `map`'s. */
  replace(a: number, map: Map<number, number>): void {
    this.maps[a] = map;
  }
}

/**
 * The sparse similarity graph (neighbourEdges) as the linkage's adjacency. Built in a call of
 * its own, so the edge list dies with it rather than staying alive beside the adjacency through
 * the linkage (2 MB at 10,000 articles).
 */
function similarityGraph(vectors: SparseVector[], times: (number | null)[], options: ClusterOptions, vocabulary: Vocabulary): Adjacency {
  return new Adjacency(vectors.length, neighbourEdges(vectors, times, options, vocabulary));
}

/**
 * Average-linkage agglomeration. With unit vectors the average pairwise cosine between two
 * groups is exactly dot(sum of one, sum of other) / (size × size), so each group carries
 * its vector sum and every merge is scored over all member pairs, not just the sampled
 * ones: a large story is not held back by pairs the neighbour search never looked at.
 * The sparse graph only decides which groups are compared. Each adjacency keeps the dot
 * product of the two sums, so a merge adds the parts' products instead of recomputing
 * them; only a neighbour of one part alone needs a fresh product. Dates compare as
 * intervals: two groups whose coverage periods are far apart are different events.
 * `apart` holds pairs known to be different events (group → groups): they never merge, and
 * a merged group keeps both parts' exclusions.
 */
function averageLinkage(
  vectors: SparseVector[],
  times: (number | null)[],
  options: ClusterOptions,
  vocabulary: Vocabulary,
  apart: Map<number, Set<number>> = new Map(),
): number[] {
  const n = vectors.length;
  const sums = vectors.slice();
  const size = new Array<number>(n).fill(1);
  const first = times.slice();
  const last = times.slice();
  const version = new Array<number>(n).fill(0);
  const adjacent = similarityGraph(vectors, times, options, vocabulary);
  const parent = Array.from({ length: n }, (_, i) => i);
  const score = (a: number, b: number, product: number): number => {
    let gap: number | null = null;
    if (first[a] !== null && first[b] !== null) gap = Math.max(0, first[a]! - last[b]!, first[b]! - last[a]!);
    const agreement = gap === null ? 1 : dateAgreement(0, gap, options.dateScaleDays);
    return (product / (size[a] * size[b])) * agreement;
  };
  const heap = new MergeHeap();
  const push = (a: number, b: number): void => {
    if (apart.get(a)?.has(b)) return;
    const [x, y] = a < b ? [a, b] : [b, a];
    const s = score(x, y, adjacent.get(x, y)!);
    if (s >= options.threshold) heap.push(s, x, y, version[x], version[y]);
  };
  for (let a = 0; a < n; a++) {
    adjacent.forEach(a, (b) => {
      if (a < b) push(a, b);
    });
  }
  const probe = vocabulary.probe();
  while (heap.pop()) {
    const { a, b, versionA: va, versionB: vb } = heap.top;
    if (parent[a] !== a || parent[b] !== b || version[a] !== va || version[b] !== vb) continue;
    const [keep, gone] = a < b ? [a, b] : [b, a];
    parent[gone] = keep;
    const goneApart = apart.get(gone);
    if (goneApart) {
      apart.delete(gone);
      const keepApart = apart.get(keep) ?? new Set<number>();
      apart.set(keep, keepApart);
      for (const c of goneApart) {
        keepApart.add(c);
        const other = apart.get(c)!;
        other.delete(gone);
        other.add(keep);
      }
    }
    // Each part's neighbours are read once, with their products: a neighbour of both adds
    // them up, one of a single part needs the other part's product computed.
    const merged = new Map<number, number>();
    const onlyKeep: number[] = [];
    const onlyKeepProducts: number[] = [];
    adjacent.forEach(keep, (c, product) => {
      if (c === gone) return;
      const other = adjacent.get(gone, c);
      if (other !== undefined) merged.set(c, product + other);
      else {
        onlyKeep.push(c);
        onlyKeepProducts.push(product);
      }
    });
    if (onlyKeep.length) {
      probe.load(sums[gone]);
      onlyKeep.forEach((c, k) => merged.set(c, onlyKeepProducts[k] + probe.dot(sums[c])));
    }
    const goneNeighbours: number[] = [];
    const onlyGone: number[] = [];
    const onlyGoneProducts: number[] = [];
    adjacent.forEach(gone, (c, product) => {
      goneNeighbours.push(c);
      // `merged` holds every neighbour of keep but gone by now.
      if (c !== keep && !merged.has(c)) {
        onlyGone.push(c);
        onlyGoneProducts.push(product);
      }
    });
    if (onlyGone.length) {
      probe.load(sums[keep]);
      onlyGone.forEach((c, k) => merged.set(c, probe.dot(sums[c]) + onlyGoneProducts[k]));
    }
    probe.clear();
    for (const c of goneNeighbours) adjacent.delete(c, gone);
    for (const [c, product] of merged) adjacent.set(c, keep, product);
    adjacent.replace(keep, merged);
    adjacent.replace(gone, new Map());
    sums[keep] = addVectors(sums[keep], sums[gone]);
    sums[gone] = EMPTY_VECTOR;
    size[keep] += size[gone];
    if (first[gone] !== null) {
      first[keep] = first[keep] === null ? first[gone] : Math.min(first[keep]!, first[gone]!);
      last[keep] = last[keep] === null ? last[gone] : Math.max(last[keep]!, last[gone]!);
    }
    version[keep]++;
    for (const c of [...merged.keys()].sort((x, y) => x - y)) push(keep, c);
  }
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i];
    return i;
  };
  return Array.from({ length: n }, (_, i) => find(i));
}

/** Group articles into stories (`stats`: termStats of the same articles); returns groups of article indices, copies with their originals. */
export function cluster(articles: DedupedArticle[], stats: TermStats): number[][] {
  const options = DEFAULT_CLUSTER_OPTIONS;
  const byId = new Map(articles.map((article, index) => [article.id, index]));
  const originals = originalIndexes(articles);
  const vocabulary = new Vocabulary(stats);
  const counts = termCountTable(articles, originals, options, vocabulary, stats);
  const vectors = tfidfVectors(
    counts,
    originals.map((_, x) => x),
    options,
    vocabulary,
  );
  const times = originals.map((i) => publishedTime(articles[i]));
  const labels = averageLinkage(vectors, times, options, vocabulary, otherEventPairs(articles, originals, byId));
  splitMixedGroups(labels, counts, times, options, vocabulary);
  const groups = new Map<number, number[]>();
  originals.forEach((articleIndex, x) => {
    appendTo(groups, labels[x], articleIndex);
  });
  const groupOf = new Map<number, number[]>();
  for (const group of groups.values()) for (const i of group) groupOf.set(i, group);
  articles.forEach((article, i) => {
    if (groupOf.has(i)) return;
    const root = originalOf(articles, byId, i);
    groupOf.get(root)!.push(i);
  });
  return [...groups.values()].map((group) => group.sort((a, b) => a - b)).sort((x, y) => x[0] - y[0]);
}

/** dedupe's `otherEvents` between originals, by position in `originals`, both ways. */
function otherEventPairs(articles: DedupedArticle[], originals: number[], byId: Map<string, number>): Map<number, Set<number>> {
  const position = new Map(originals.map((articleIndex, x) => [articleIndex, x]));
  const apart = new Map<number, Set<number>>();
  const link = (x: number, y: number): void => {
    let set = apart.get(x);
    if (!set) apart.set(x, (set = new Set()));
    set.add(y);
  };
  articles.forEach((article, i) => {
    for (const id of article.otherEvents) {
      const j = byId.get(id);
      if (j === undefined) continue;
      const x = position.get(originalOf(articles, byId, i))!;
      const y = position.get(originalOf(articles, byId, j))!;
      if (x === y) continue;
      link(x, y);
      link(y, x);
    }
  });
  return apart;
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

/**
 * Second pass inside each story: re-weight terms by how rare they are within the group, so
 * the words every member shares (the kind of event: "quake", "magnitude", "Klitschko")
 * stop counting and the words that tell members apart (opponents, places, tolls, years)
 * decide. A group that falls apart under this view into parts that are far apart relative
 * to their own cohesion holds two events of one kind. One story's reports also differ in
 * detail, so parts that are merely looser than the threshold rejoin.
 */
function splitMixedGroups(labels: number[], counts: TermCountTable, times: (number | null)[], options: ClusterOptions, vocabulary: Vocabulary): void {
  const groups = new Map<number, number[]>();
  labels.forEach((label, i) => {
    appendTo(groups, label, i);
  });
  for (const members of groups.values()) {
    // Two parts of at least two members each need four.
    if (members.length < 4) continue;
    const local = tfidfVectors(counts, members, options, vocabulary);
    const localTimes = members.map((i) => times[i]);
    const sub = averageLinkage(local, localTimes, { ...options, threshold: options.localThreshold }, vocabulary);
    const parts = new Map<number, number[]>();
    sub.forEach((label, x) => {
      appendTo(parts, label, x);
    });
    const cores = [...parts.values()].filter((part) => part.length >= 2).sort((p, q) => p[0] - q[0]);
    if (cores.length < 2) continue;
    // A member the local view leaves alone is an outlier of its story, not a story of its
    // own (the global pass already judged it close enough): it rejoins the nearest core.
    const sumOf = (part: number[]): SparseVector => part.reduce((sum, x) => addVectors(sum, local[x]), EMPTY_VECTOR);
    let sums = cores.map(sumOf);
    for (const part of [...parts.values()].filter((p) => p.length === 1).sort((p, q) => p[0] - q[0])) {
      const x = part[0];
      let best = 0;
      let bestScore = -Infinity;
      cores.forEach((core, c) => {
        const avg = dot(local[x], sums[c]) / core.length;
        if (avg > bestScore + 1e-12) {
          bestScore = avg;
          best = c;
        }
      });
      cores[best].push(x);
    }
    sums = cores.map(sumOf);
    // Average pairwise similarity from vector sums (unit vectors: |sum|² = size + 2·pairs).
    const cohesion = (c: number): number => {
      const k = cores[c].length;
      return k < 2 ? 1 : (dot(sums[c], sums[c]) - k) / (k * (k - 1));
    };
    for (;;) {
      let best = -Infinity;
      let bi = -1;
      let bj = -1;
      for (let i = 0; i < cores.length; i++) {
        for (let j = i + 1; j < cores.length; j++) {
          const between = dot(sums[i], sums[j]) / (cores[i].length * cores[j].length);
          const r = between / Math.sqrt(Math.max(1e-9, cohesion(i) * cohesion(j)));
          if (r > best + 1e-12) {
            best = r;
            bi = i;
            bj = j;
          }
        }
      }
      if (bi < 0 || best < options.splitRatio) break;
      cores[bi] = cores[bi].concat(cores[bj]);
      cores.splice(bj, 1);
      sums = cores.map(sumOf);
    }
    for (const core of cores) {
      const label = members[Math.min(...core)];
      for (const x of core) labels[members[x]] = label;
    }
  }
}
