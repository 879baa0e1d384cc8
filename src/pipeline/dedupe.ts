// Stage 3, dedupe: find exact copies, lightly edited copies, machine-"spun" copies and
// reprinted excerpts, and mark each `duplicateOf` its original.
//
// A copy is the same text, in the same order, up to word-level edits. Spinners swap 15–30%
// of content words for synonyms but reorder nothing, so the copy's tokens line up with the
// original's in one monotone alignment; two outlets' reports of one event share facts,
// names and a quote or two, but their words do not line up in order. The test is therefore
// an ordered alignment (longest chain of shared word pairs in the same order), not a bag
// of shingles. Candidates come from shingles that few documents share, never from all pairs.
//
// Memory decides how this is built. 10,000 articles carry some ten million shingle keys, and
// as Sets, Maps and arrays of token strings those take gigabytes, where a Worker has 128 MB.
// So words are interned to integer ids once; shingles are hashed in place over the text's
// characters (no shingle strings); keys live in 32-bit typed arrays split by their top bits,
// and one slice at a time is radix-sorted to find the documents sharing each key; only keys
// shared by 2 to COMMON_SHINGLE_DF documents survive to pair counting, which runs one
// document at a time against a counter array instead of a map over all pairs. Alignment then
// re-reads just the texts that are candidates, and drops each as soon as its last pair is done.
import { FNV_OFFSET, FNV_PRIME, STOPWORDS, englishCommonness, finishHash32, fnv1a, tokenizeInto, type TokenSink } from "./text";
import type { CleanArticle, DedupedArticle } from "./types";
import { appendTo, grown } from "./collections";

/**
 * Both texts at least this much aligned: a copy. Spun copies align at 0.8 and above (a
 * swapped word breaks the pairs on both sides of it); different reports stay near 0.1–0.5
 * even when they quote the same press release.
 */
const MUTUAL_COVERAGE = 0.7;
/**
 * A shorter text this much inside a longer one is a reprinted excerpt (a wire story cut to
 * fit). Stricter than MUTUAL_COVERAGE because one-sided containment is easier to reach by
 * chance: a short report that quotes a long release covers most of itself with the quote.
 */
const EXCERPT_COVERAGE = 0.9;
/** Below this many words a text has no room to show it was copied rather than written alike. */
const MIN_TOKENS = 12;
/** A shingle shared by more documents than this is a stock phrase, not evidence of copying. */
const COMMON_SHINGLE_DF = 40;
/** Pairs sharing less than this share of the smaller text's shingles are not aligned at all. */
const MIN_SHARED_SHINGLES = 0.15;
/** Word pairs this frequent inside one text ("of the") are too ambiguous to anchor an alignment. */
const MAX_ANCHOR_REPEATS = 8;
/** Word shingle length, and the length of the stopword skeleton n-grams. */
const SHINGLE_WORDS = 3;
const SKELETON_WORDS = 8;
/** A skeleton n-gram needs this many kept words; mostly blanks say nothing about the text. */
const SKELETON_MIN_KEPT = 3;

/**
 * Two texts that line up as copies except that numbers change in place ("a magnitude 3.1
 * quake struck 7 km from …" / "a magnitude 4.3 quake struck 12 km from …") are reports of
 * different events written from one template: automated quake, weather, market or score
 * reports. They are told by their number slots: stretches of at most NUMBER_SLOT_TOKENS
 * tokens, all numbers on both sides, between two aligned word pairs. Different events when
 * at least DIFFERENT_EVENT_SLOTS slots differ and they outnumber the numbers that stayed:
 * copiers and spinners keep numbers, an updated wire copy changes one or two of many (a toll,
 * a time), and a reprint that converts units rewrites the words around its numbers too.
 */
const NUMBER_SLOT_TOKENS = 3;
const DIFFERENT_EVENT_SLOTS = 2;

/** What the alignment needs of a text. */
interface CopySignature {
  /** Number of word tokens. */
  length: number;
  /** Hash of each adjacent word pair, by position: the alignment's anchors. */
  pairs: Int32Array;
  /** 1 where the token holds a digit, by position. */
  numeric: Uint8Array;
}

function articleText(article: CleanArticle): string {
  return article.paragraphs.join("\n");
}

// ---------------------------------------------------------------------------------------
// Hashing in place

// Keys and anchors are hash32 (text.ts) of the shingle strings "w1 w2 w3", "skeleton _ of _ …"
// and "w1 w2", run over the characters where they already lie, so no string is built per
// shingle. With the same FNV-1a steps and finalizer (text.ts), the keys equal hash32 of those strings.
const SPACE = 0x20;
/** "_": a content word's place in the skeleton. */
const BLANK = 0x5f;

function fnv(chars: Uint16Array, from: number, to: number, h: number): number {
  for (let k = from; k < to; k++) h = Math.imul(h ^ chars[k], FNV_PRIME);
  return h;
}

/** FNV state after "skeleton ", the prefix every skeleton key's string starts with. */
const SKELETON_SEED = fnv1a("skeleton ");

// ---------------------------------------------------------------------------------------
// Words and texts

/** Words interned to dense ids, with what dedupe needs to know of each. */
class Vocabulary {
  size = 0;
  /** How common the word is in English (see englishCommonness()); 0 for words outside the list. */
  commonness = new Float64Array(1024);
  /** Kept in the skeleton (a stopword or a word with a digit) rather than blanked. */
  skeletal = new Uint8Array(1024);
  stopword = new Uint8Array(1024);
  /** Holds a digit. */
  numeric = new Uint8Array(1024);
  /** Stamp of the last read that met the word: finds each text's distinct words. */
  lastRead = new Int32Array(1024);
  private chars = new Uint16Array(1 << 15);
  private charsUsed = 0;
  /** Word `id`'s characters are chars[wordStart[id], wordStart[id + 1]). */
  private wordStart = new Int32Array(1025);
  private wordHash = new Int32Array(1024);
  /** Open addressing over wordHash: a word id, or -1 for an empty slot. */
  private slots = new Int32Array(2048).fill(-1);

  /** The id of the word in text[from, to), whose finished FNV hash is `hash`. */
  id(text: Uint16Array, from: number, to: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id < 0) return this.add(slot, hash, text, from, to);
      if (this.wordHash[id] === hash && this.matches(id, text, from, to)) return id;
    }
  }

  private matches(id: number, text: Uint16Array, from: number, to: number): boolean {
    const start = this.wordStart[id];
    if (this.wordStart[id + 1] - start !== to - from) return false;
    for (let k = 0; k < to - from; k++) if (this.chars[start + k] !== text[from + k]) return false;
    return true;
  }

  private add(slot: number, hash: number, text: Uint16Array, from: number, to: number): number {
    const id = this.size++;
    let word = ""; // in slices: a spread of a whole over-long "word" would overflow the stack
    for (let k = from; k < to; k += 4096) word += String.fromCharCode(...text.subarray(k, Math.min(to, k + 4096)));
    if (id + 1 >= this.commonness.length) {
      const capacity = this.commonness.length * 2;
      this.commonness = grown(this.commonness, capacity);
      this.skeletal = grown(this.skeletal, capacity);
      this.stopword = grown(this.stopword, capacity);
      this.numeric = grown(this.numeric, capacity);
      this.lastRead = grown(this.lastRead, capacity);
      this.wordHash = grown(this.wordHash, capacity);
      this.wordStart = grown(this.wordStart, capacity + 1);
    }
    if (this.charsUsed + (to - from) > this.chars.length) this.chars = grown(this.chars, 2 * (this.charsUsed + (to - from)));
    this.chars.set(text.subarray(from, to), this.charsUsed);
    this.charsUsed += to - from;
    this.wordStart[id + 1] = this.charsUsed;
    this.wordHash[id] = hash;
    this.commonness[id] = englishCommonness(word);
    this.stopword[id] = STOPWORDS.has(word) ? 1 : 0;
    this.numeric[id] = /\d/.test(word) ? 1 : 0;
    this.skeletal[id] = this.stopword[id] || this.numeric[id];
    this.slots[slot] = id;
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = this.wordHash[id] & mask;
      while (slots[slot] >= 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

/**
 * One text's tokens, read into buffers reused from text to text: the tokens' characters
 * joined by single spaces (exactly the shingle strings' layout, so a shingle is a range),
 * where each token starts, its word id, and the text's distinct words in order of first use.
 */
class TextReader implements TokenSink {
  chars = new Uint16Array(1 << 16);
  /** Token t is chars[start[t], start[t + 1] - 1); the extra entry closes the last token. */
  start = new Int32Array(1 << 12);
  ids = new Int32Array(1 << 12);
  /**
   * FNV state after each token's characters: the common start of the token's word hash,
   * its pair's hash and its shingle's, so those go on from here instead of from scratch.
   */
  wordState = new Int32Array(1 << 12);
  distinct = new Int32Array(1 << 12);
  /** Where keys() puts a text's keys: fewer than two per token. */
  keyBuffer = new Uint32Array(1 << 13);
  // The skeleton laid out like `chars`: kept words as they are, content words as "_".
  private skeleton = new Uint16Array(1 << 15);
  private skeletonStart = new Int32Array(1 << 12);
  count = 0;
  distinctCount = 0;
  private reads = 0;

  constructor(readonly vocabulary: Vocabulary) {}

  // The token being read: where its characters start, and the FNV state over them so far.
  private tokenStart = 0;
  private at = 0;
  private state = FNV_OFFSET;
  private stamp = 0;

  read(text: string): void {
    this.count = 0;
    this.distinctCount = 0;
    this.at = 0;
    this.tokenStart = 0;
    this.state = FNV_OFFSET;
    this.stamp = ++this.reads;
    tokenizeInto(text, this);
    this.start[this.count] = this.at;
    if (this.keyBuffer.length < 2 * this.count) this.keyBuffer = new Uint32Array(4 * this.count);
    if (this.skeletonStart.length < this.start.length) this.skeletonStart = new Int32Array(this.start.length);
  }

  /** Token sink: copy the piece's characters and go on hashing the word over them. */
  piece(text: string, from: number, to: number): void {
    const end = this.at + (to - from);
    // Room for the space end() writes after the token, too.
    if (end >= this.chars.length) this.chars = grown(this.chars, 2 * (end + 1));
    const chars = this.chars;
    let h = this.state;
    for (let k = from, at = this.at; k < to; k++, at++) {
      const code = text.charCodeAt(k);
      chars[at] = code;
      h = Math.imul(h ^ code, FNV_PRIME);
    }
    this.state = h;
    this.at = end;
  }

  /** Token sink: the token is whole; a space follows it, as in the shingles. */
  end(): void {
    const t = this.count;
    if (t + 2 > this.start.length) {
      const capacity = 2 * (t + 2);
      this.start = grown(this.start, capacity);
      this.ids = grown(this.ids, capacity);
      this.wordState = grown(this.wordState, capacity);
      this.distinct = grown(this.distinct, capacity);
    }
    const { vocabulary } = this;
    const from = this.tokenStart;
    this.chars[this.at] = SPACE;
    const id = vocabulary.id(this.chars, from, this.at, finishHash32(this.state) | 0);
    this.start[t] = from;
    this.ids[t] = id;
    this.wordState[t] = this.state;
    if (vocabulary.lastRead[id] !== this.stamp) {
      vocabulary.lastRead[id] = this.stamp;
      this.distinct[this.distinctCount++] = id;
    }
    this.count = t + 1;
    this.at += 1;
    this.tokenStart = this.at;
    this.state = FNV_OFFSET;
  }

  /** 1 for each token that holds a digit. */
  numericTokens(): Uint8Array {
    const { numeric } = this.vocabulary;
    const flags = new Uint8Array(this.count);
    for (let t = 0; t < this.count; t++) flags[t] = numeric[this.ids[t]];
    return flags;
  }

  /** hash32 of "w1 w2" at each position, as signed 32-bit integers. */
  pairHashes(): Int32Array {
    const { chars, start, wordState, count } = this;
    const pairs = new Int32Array(Math.max(0, count - 1));
    for (let t = 0; t + 1 < count; t++) pairs[t] = finishHash32(fnv(chars, start[t + 1] - 1, start[t + 2] - 1, wordState[t])) | 0;
    return pairs;
  }

  /**
   * Puts the text's candidate-finding keys into keyBuffer and returns how many: word
   * 3-shingles, and stopword-skeleton 8-grams (function words and numbers in order, content
   * words blanked). The skeleton survives synonym swapping even where a swap every few
   * words leaves no 3-shingle intact. Keys may repeat.
   */
  keys(): number {
    const { chars, start, ids, wordState, count, keyBuffer, skeletonStart } = this;
    const skeletal = this.vocabulary.skeletal;
    let keys = 0;
    for (let t = 0; t + SHINGLE_WORDS <= count; t++) keyBuffer[keys++] = finishHash32(fnv(chars, start[t + 1] - 1, start[t + SHINGLE_WORDS] - 1, wordState[t]));
    // The skeleton is laid out like the text, so that each n-gram's string is a range too.
    if (start[count] > this.skeleton.length) this.skeleton = new Uint16Array(2 * start[count]);
    const skeleton = this.skeleton;
    let at = 0;
    let kept = 0;
    for (let t = 0; t < count; t++) {
      skeletonStart[t] = at;
      if (skeletal[ids[t]]) {
        for (let k = start[t]; k < start[t + 1] - 1; k++) skeleton[at++] = chars[k];
      } else {
        skeleton[at++] = BLANK;
      }
      skeleton[at++] = SPACE;
      kept += skeletal[ids[t]];
      const first = t - SKELETON_WORDS + 1;
      if (first < 0) continue;
      if (kept >= SKELETON_MIN_KEPT) keyBuffer[keys++] = finishHash32(fnv(skeleton, skeletonStart[first], at - 1, SKELETON_SEED));
      kept -= skeletal[ids[first]];
    }
    return keys;
  }
}

// ---------------------------------------------------------------------------------------
// Alignment

/** Reusable buffers for alignments, so comparing a pair allocates nothing but its result. */
class Aligner {
  // b's pair hashes indexed by open addressing: per slot the hash, how often it occurs,
  // and its last position; `next` chains each position to the previous one with that hash.
  private slotHash = new Int32Array(1024);
  private slotCount = new Int32Array(1024);
  private slotLast = new Int32Array(1024);
  private slotStamp = new Int32Array(1024);
  private next = new Int32Array(512);
  private stamp = 0;
  private anchorI = new Int32Array(1024);
  private anchorJ = new Int32Array(1024);
  private previous = new Int32Array(1024);
  private tailJ = new Int32Array(512);
  private tailAnchor = new Int32Array(512);
  /** The last anchor of the chain the latest coverage() found, or -1. */
  private chainEnd = -1;

  /**
   * Share of each text's tokens covered by the longest in-order chain of shared word pairs
   * (an LCS over word pairs, computed as a longest increasing subsequence in O(k log k)).
   */
  coverage(a: CopySignature, b: CopySignature): [number, number] {
    if (a.pairs.length === 0 || b.pairs.length === 0) return [0, 0];
    const mask = this.indexPositions(b.pairs);
    const { slotHash, slotCount, slotLast, slotStamp, next, stamp } = this;
    // Anchors in order of i, and of descending j within one i, so a strictly increasing
    // subsequence in j uses each position of `a` at most once.
    let anchors = 0;
    for (let i = 0; i < a.pairs.length; i++) {
      const hash = a.pairs[i];
      let slot = hash & mask;
      while (slotStamp[slot] === stamp && slotHash[slot] !== hash) slot = (slot + 1) & mask;
      if (slotStamp[slot] !== stamp || slotCount[slot] > MAX_ANCHOR_REPEATS) continue;
      if (anchors + slotCount[slot] > this.anchorI.length) this.growAnchors(anchors + slotCount[slot]);
      for (let j = slotLast[slot]; j >= 0; j = next[j]) {
        this.anchorI[anchors] = i;
        this.anchorJ[anchors] = j;
        anchors++;
      }
    }
    const { anchorI, anchorJ, previous, tailJ, tailAnchor } = this;
    let longest = 0;
    for (let x = 0; x < anchors; x++) {
      const j = anchorJ[x];
      let lo = 0;
      let hi = longest;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (tailJ[mid] < j) lo = mid + 1;
        else hi = mid;
      }
      tailJ[lo] = j;
      tailAnchor[lo] = x;
      previous[x] = lo > 0 ? tailAnchor[lo - 1] : -1;
      if (lo === longest) longest++;
    }
    this.chainEnd = longest ? tailAnchor[longest - 1] : -1;
    // Count covered tokens: each anchor covers its two words; consecutive anchors overlap.
    let coveredA = 0;
    let coveredB = 0;
    let lastI = -2;
    let lastJ = -2;
    for (let x = longest ? tailAnchor[longest - 1] : -1; x >= 0; x = previous[x]) {
      const i = anchorI[x];
      const j = anchorJ[x];
      coveredA += lastI === i + 1 ? 1 : 2;
      coveredB += lastJ === j + 1 ? 1 : 2;
      lastI = i;
      lastJ = j;
    }
    return [coveredA / a.length, coveredB / b.length];
  }

  /**
   * Whether the chain coverage(a, b) just found has numbers changed in place where a copy
   * would repeat them (see NUMBER_SLOT_TOKENS): more slots changed than numbers kept.
   */
  numbersDiffer(a: CopySignature, b: CopySignature): boolean {
    const { anchorI, anchorJ, previous } = this;
    let changed = 0;
    let kept = 0;
    let nextI = -1;
    let nextJ = -1;
    // The chain runs from its last anchor back to its first; `next` is the anchor after this one.
    for (let x = this.chainEnd; x >= 0; x = previous[x]) {
      const i = anchorI[x];
      const j = anchorJ[x];
      // Numbers of `a` under this anchor's two words, each counted once (the next anchor may start on the second).
      for (let t = i; t <= i + 1 && (nextI < 0 || t < nextI); t++) kept += a.numeric[t];
      if (nextI >= 0 && isNumberSlot(a.numeric, i + 2, nextI) && isNumberSlot(b.numeric, j + 2, nextJ)) changed++;
      nextI = i;
      nextJ = j;
    }
    return changed >= DIFFERENT_EVENT_SLOTS && changed > kept;
  }

  /** Indexes `pairs` by hash for this alignment; returns the slot mask. */
  private indexPositions(pairs: Int32Array): number {
    if (pairs.length * 2 > this.slotHash.length) {
      const capacity = 1 << Math.ceil(Math.log2(pairs.length * 2));
      this.slotHash = new Int32Array(capacity);
      this.slotCount = new Int32Array(capacity);
      this.slotLast = new Int32Array(capacity);
      this.slotStamp = new Int32Array(capacity);
      this.stamp = 0;
    }
    if (pairs.length > this.next.length) {
      this.next = new Int32Array(pairs.length);
      // The LIS tails are at most as many as b's positions, since j strictly increases.
      this.tailJ = new Int32Array(pairs.length);
      this.tailAnchor = new Int32Array(pairs.length);
    }
    const stamp = ++this.stamp;
    const { slotHash, slotCount, slotLast, slotStamp, next } = this;
    const mask = slotHash.length - 1;
    for (let j = 0; j < pairs.length; j++) {
      const hash = pairs[j];
      let slot = hash & mask;
      while (slotStamp[slot] === stamp && slotHash[slot] !== hash) slot = (slot + 1) & mask;
      if (slotStamp[slot] !== stamp) {
        slotStamp[slot] = stamp;
        slotHash[slot] = hash;
        slotCount[slot] = 0;
        slotLast[slot] = -1;
      }
      next[j] = slotLast[slot];
      slotLast[slot] = j;
      slotCount[slot]++;
    }
    return mask;
  }

  private growAnchors(needed: number): void {
    const capacity = Math.max(needed, this.anchorI.length * 2);
    this.anchorI = grown(this.anchorI, capacity);
    this.anchorJ = grown(this.anchorJ, capacity);
    this.previous = new Int32Array(capacity);
  }
}

/** Tokens [from, to) are a number slot: one to NUMBER_SLOT_TOKENS tokens, every one a number. */
function isNumberSlot(numeric: Uint8Array, from: number, to: number): boolean {
  if (to <= from || to - from > NUMBER_SLOT_TOKENS) return false;
  for (let t = from; t < to; t++) if (!numeric[t]) return false;
  return true;
}

type CopyKind = "copy" | "excerpt" | null;

const NO_OTHER_EVENTS: readonly string[] = Object.freeze([]);

/** Whether two texts are one text: near-copies both ways, or the shorter reprinted inside the longer. */
function kindOf(a: CopySignature, b: CopySignature, [coverA, coverB]: [number, number]): CopyKind {
  if (Math.min(coverA, coverB) >= MUTUAL_COVERAGE) return "copy";
  const coverShorter = a.length <= b.length ? coverA : coverB;
  return coverShorter >= EXCERPT_COVERAGE ? "excerpt" : null;
}

// ---------------------------------------------------------------------------------------
// The stage

export function dedupe(articles: CleanArticle[]): DedupedArticle[] {
  const n = articles.length;
  const reader = new TextReader(new Vocabulary());
  const { pairI, pairJ } = candidatePairs(articles, reader);
  const vocabulary = reader.vocabulary;

  // Each candidate text is read again when its first pair comes up and dropped after its
  // last, so only the texts in play hold their anchors; their distinct words are kept for
  // choosing originals.
  const lastPair = new Int32Array(n).fill(-1);
  for (let q = 0; q < pairI.length; q++) lastPair[pairI[q]] = lastPair[pairJ[q]] = q;
  const signatures = new Map<number, CopySignature>();
  const distinctWords = new Map<number, Int32Array>();
  const signatureOf = (doc: number): CopySignature => {
    let signature = signatures.get(doc);
    if (!signature) {
      reader.read(articleText(articles[doc]));
      signature = { length: reader.count, pairs: reader.pairHashes(), numeric: reader.numericTokens() };
      signatures.set(doc, signature);
      distinctWords.set(doc, reader.distinct.slice(0, reader.distinctCount));
    }
    return signature;
  };

  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  // Excerpts point at the text they were cut from; they are not merged into its family
  // because one excerpt may sit inside two different longer versions.
  const excerptOf = new Map<number, ExcerptHost>();
  const otherEvents = new Map<number, number[]>();
  const aligner = new Aligner();
  for (let q = 0; q < pairI.length; q++) {
    const i = pairI[q];
    const j = pairJ[q];
    const a = signatureOf(i);
    const b = signatureOf(j);
    const coverage = aligner.coverage(a, b);
    // candidatePairs pairs only texts of at least MIN_TOKENS words.
    let kind = kindOf(a, b, coverage);
    if (kind !== null && aligner.numbersDiffer(a, b)) {
      appendTo(otherEvents, i, j);
      appendTo(otherEvents, j, i);
      kind = null;
    }
    if (kind === "copy") {
      const [x, y] = [find(i), find(j)];
      if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
    } else if (kind === "excerpt") {
      const [short, long] = a.length <= b.length ? [i, j] : [j, i];
      // Coverage is measured from the shorter text's side; when that is `a`, it is in hand.
      const cover = short === i ? coverage[0] : aligner.coverage(b, a)[0];
      const candidate = { host: long, coverage: cover };
      if (betterHost(candidate, excerptOf.get(short))) excerptOf.set(short, candidate);
    }
    if (lastPair[i] === q) signatures.delete(i);
    if (lastPair[j] === q) signatures.delete(j);
  }

  // Only families of two or more need a choice (and their members' words); a lone text is
  // its own original.
  const familySize = new Int32Array(n);
  for (let i = 0; i < n; i++) familySize[find(i)]++;
  const families = new Map<number, number[]>();
  for (let i = 0; i < n; i++) if (familySize[find(i)] > 1) appendTo(families, find(i), i);
  const membersOf = (root: number): number[] => families.get(root) ?? [root];
  const familyOriginal = new Int32Array(n);
  for (let i = 0; i < n; i++) familyOriginal[i] = i;
  const marks = new Int32Array(vocabulary.size);
  let markStamp = 0;
  const ownCommonness = (own: Int32Array, other: Int32Array): number => {
    const stamp = ++markStamp;
    for (const id of other) marks[id] = stamp;
    let sum = 0;
    let count = 0;
    for (const id of own) {
      if (marks[id] === stamp || vocabulary.stopword[id]) continue;
      sum += vocabulary.commonness[id];
      count++;
    }
    return count ? sum / count : 0;
  };
  for (const [root, members] of families) {
    familyOriginal[root] = members.reduce((best, i) =>
      isBetterOriginal(articles[i], articles[best], () => [
        ownCommonness(distinctWords.get(i)!, distinctWords.get(best)!),
        ownCommonness(distinctWords.get(best)!, distinctWords.get(i)!),
      ])
        ? i
        : best,
    );
  }
  // Where a whole family was cut from a longer text, the family follows that text's original.
  // Hosts are strictly longer, so following them always ends.
  const rootOriginal = (i: number): number => {
    let current = familyOriginal[find(i)];
    for (let hops = 0; hops <= n; hops++) {
      const host = excerptOfFamily(current);
      if (host === undefined) break;
      current = familyOriginal[find(host)];
    }
    return current;
  };
  function excerptOfFamily(original: number): number | undefined {
    let best: ExcerptHost | undefined;
    for (const member of membersOf(find(original))) {
      const e = excerptOf.get(member);
      if (e && find(e.host) !== find(original) && betterHost(e, best)) best = e;
    }
    return best?.host;
  }
  // Every member of a family ends at the same original, so it is worked out once per family.
  const originalOfRoot = new Int32Array(n).fill(-1);
  return articles.map((article, i) => {
    const root = find(i);
    if (originalOfRoot[root] < 0) originalOfRoot[root] = excerptOf.size ? rootOriginal(i) : familyOriginal[root];
    const original = originalOfRoot[root];
    const others = otherEvents.get(i);
    // Object.assign rather than a spread with fields after it: in Node's V8 such a spread gives
    // every result a hidden class of its own (about 400 bytes each, 4 MB at 10,000 articles).
    return Object.assign({}, article, {
      duplicateOf: original === i ? null : articles[original].id,
      otherEvents: others ? others.map((k) => articles[k].id).sort() : NO_OTHER_EVENTS,
    });
  });
}

// ---------------------------------------------------------------------------------------
// Candidate pairs

/** Keys are split into 2^PARTITION_BITS slices by their top bits; one slice is sorted at a time. */
const PARTITION_BITS = 6;
const PARTITIONS = 1 << PARTITION_BITS;
/** The remaining 26 bits are radix-sorted in two passes of 13. */
const DIGIT_BITS = (32 - PARTITION_BITS) / 2;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;
/**
 * A postings entry packs its document (up to 2^26 of them) with the number of entries after
 * it in its run, which is under COMMON_SHINGLE_DF and so fits these bits.
 */
const AFTER_BITS = 6;
const AFTER_MASK = (1 << AFTER_BITS) - 1;

/**
 * Pairs sharing enough rare shingles to be worth aligning, sorted by (i, j); stock phrases
 * are skipped. Reads every text once.
 */
function candidatePairs(articles: CleanArticle[], reader: TextReader): { pairI: number[]; pairJ: number[] } {
  const n = articles.length;
  const tokenCount = new Int32Array(n);
  const keyCount = new Int32Array(n);
  // Chunks freed by one stage are reused by the next (see ChunkedList).
  const pool: Uint32Array[] = [];
  const keys = new PartitionedKeys(n, pool);
  const vocabulary = reader.vocabulary;
  for (let doc = 0; doc < n; doc++) {
    reader.read(articleText(articles[doc]));
    tokenCount[doc] = reader.count;
    keyCount[doc] = keys.addDocument(doc, reader.keyBuffer, reader.keys());
  }
  const postings = sharedKeyPostings(keys, pool);
  // What the postings did not reuse is not needed again.
  pool.length = 0;
  const { partners, partnerStart } = laterPartners(postings, n);

  // Shared keys per pair, one document at a time: a counter per later document instead of
  // a map over all pairs, most of which share only a key or two.
  const shared = new Int32Array(n);
  const touched = new Int32Array(n);
  const pairI: number[] = [];
  const pairJ: number[] = [];
  const chosen: number[] = [];
  for (let i = 0; i < n; i++) {
    // Texts under MIN_TOKENS words are too short to judge, so their pairs are not counted.
    if (tokenCount[i] < MIN_TOKENS) continue;
    let touchedCount = 0;
    for (let x = partnerStart[i]; x < partnerStart[i + 1]; x++) {
      const j = partners[x];
      if (shared[j]++ === 0) touched[touchedCount++] = j;
    }
    chosen.length = 0;
    for (let t = 0; t < touchedCount; t++) {
      const j = touched[t];
      const count = shared[j];
      shared[j] = 0;
      const smaller = Math.min(keyCount[i], keyCount[j]);
      if (count >= 3 && count >= MIN_SHARED_SHINGLES * smaller && tokenCount[j] >= MIN_TOKENS) chosen.push(j);
    }
    // Sorted so that the union and the excerpt choices depend on document order alone.
    chosen.sort((x, y) => x - y);
    for (const j of chosen) {
      pairI.push(i);
      pairJ.push(j);
    }
  }
  return { pairI, pairJ };
}

/** Values per chunk of a ChunkedList. */
const CHUNK_BITS = 14;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;

/**
 * A growing list of 32-bit values in fixed chunks: it never copies itself to grow, and its
 * chunks come from and go back to a shared pool. Slices of keys give theirs back as they
 * are sorted and the postings are written into them, so candidate finding allocates about
 * as much as the keys take, and leaves little behind for the collector.
 */
class ChunkedList {
  length = 0;
  private chunks: Uint32Array[] = [];
  private tail: Uint32Array = new Uint32Array(0);

  constructor(private readonly pool: Uint32Array[]) {}

  push(value: number): void {
    if ((this.length & CHUNK_MASK) === 0) this.chunks.push((this.tail = this.pool.pop() ?? new Uint32Array(CHUNK_MASK + 1)));
    this.tail[this.length++ & CHUNK_MASK] = value;
  }

  at(index: number): number {
    return this.chunks[index >>> CHUNK_BITS][index & CHUNK_MASK];
  }

  /** Copies the values into target[0, length). */
  copyTo(target: Uint32Array): void {
    for (let c = 0; c < this.chunks.length; c++) {
      const from = c << CHUNK_BITS;
      target.set(this.chunks[c].subarray(0, Math.min(CHUNK_MASK + 1, this.length - from)), from);
    }
  }

  /** Returns the chunks to the pool; the list is empty after. */
  release(): void {
    for (const chunk of this.chunks) this.pool.push(chunk);
    this.chunks = [];
    this.tail = new Uint32Array(0);
    this.length = 0;
  }
}

/** Every document's distinct keys, split by top bits into slices kept in document order. */
class PartitionedKeys {
  readonly slices: ChunkedList[] = [];
  /** Per slice, where each document's keys end. */
  readonly ends: Int32Array[] = [];
  // A stamped open-addressing set: the current document's keys so far.
  private seen = new Uint32Array(4096);
  private seenStamp = new Int32Array(4096);
  private stamp = 0;

  constructor(documents: number, pool: Uint32Array[]) {
    for (let p = 0; p < PARTITIONS; p++) {
      this.slices.push(new ChunkedList(pool));
      this.ends.push(new Int32Array(documents));
    }
  }

  /** Adds document `doc`'s keys, keys[0, count), each once; returns how many are distinct. */
  addDocument(doc: number, keys: Uint32Array, count: number): number {
    if (count * 2 > this.seen.length) {
      const capacity = 1 << Math.ceil(Math.log2(count * 2));
      this.seen = new Uint32Array(capacity);
      this.seenStamp = new Int32Array(capacity);
      this.stamp = 0;
    }
    const { seen, seenStamp, slices } = this;
    const stamp = ++this.stamp;
    const mask = seen.length - 1;
    let distinct = 0;
    next: for (let k = 0; k < count; k++) {
      const key = keys[k];
      let slot = key & mask;
      for (; seenStamp[slot] === stamp; slot = (slot + 1) & mask) if (seen[slot] === key) continue next;
      seenStamp[slot] = stamp;
      seen[slot] = key;
      distinct++;
      slices[key >>> (32 - PARTITION_BITS)].push(key);
    }
    for (let p = 0; p < PARTITIONS; p++) this.ends[p][doc] = slices[p].length;
    return distinct;
  }

  /** Copies slice `p` out as (key, document) entries in document order, and releases it. */
  take(p: number, keys: Uint32Array, docs: Int32Array): number {
    const slice = this.slices[p];
    const ends = this.ends[p];
    const length = slice.length;
    slice.copyTo(keys);
    for (let doc = 0, e = 0; doc < ends.length; doc++) for (const end = ends[doc]; e < end; e++) docs[e] = doc;
    slice.release();
    return length;
  }
}

/**
 * Postings of the keys shared by 2 to COMMON_SHINGLE_DF documents, key by key with documents
 * ascending, each entry packed with how many entries of the same key follow it (AFTER_BITS).
 * Written slice by slice into the chunks the sorted slices give back.
 */
function sharedKeyPostings(keys: PartitionedKeys, pool: Uint32Array[]): ChunkedList {
  let largest = 0;
  for (const slice of keys.slices) largest = Math.max(largest, slice.length);
  const sortKeys = [new Uint32Array(largest), new Uint32Array(largest)];
  const sortDocs = [new Int32Array(largest), new Int32Array(largest)];
  const counts = new Int32Array(1 << DIGIT_BITS);
  const postings = new ChunkedList(pool);
  for (let p = 0; p < PARTITIONS; p++) {
    const m = keys.take(p, sortKeys[0], sortDocs[0]);
    // Two stable passes over the low 26 bits (the top 6 are the slice's own): equal keys
    // end up adjacent, their documents still ascending.
    radixPass(sortKeys[0], sortDocs[0], sortKeys[1], sortDocs[1], m, 0, counts);
    radixPass(sortKeys[1], sortDocs[1], sortKeys[0], sortDocs[0], m, DIGIT_BITS, counts);
    const [sortedKeys, sortedDocs] = [sortKeys[0], sortDocs[0]];
    for (let e = 0; e < m; ) {
      let f = e + 1;
      while (f < m && sortedKeys[f] === sortedKeys[e]) f++;
      const df = f - e;
      if (df >= 2 && df <= COMMON_SHINGLE_DF) for (let k = e; k < f; k++) postings.push(((sortedDocs[k] << AFTER_BITS) | (f - 1 - k)) >>> 0);
      e = f;
    }
  }
  return postings;
}

/**
 * For each document, the later documents it shares a key with, once per shared key:
 * partners[partnerStart[i], partnerStart[i + 1]). Laid out by document so that counting
 * reads it in order; the postings are scanned in order to fill it.
 */
function laterPartners(postings: ChunkedList, n: number): { partners: Uint16Array | Int32Array; partnerStart: Int32Array } {
  const partnerStart = new Int32Array(n + 1);
  for (let e = 0; e < postings.length; e++) {
    const entry = postings.at(e);
    partnerStart[(entry >>> AFTER_BITS) + 1] += entry & AFTER_MASK;
  }
  for (let doc = 0; doc < n; doc++) partnerStart[doc + 1] += partnerStart[doc];
  // Document numbers fit 16 bits up to 65,536 documents, which halves the largest array.
  const partners = n <= 1 << 16 ? new Uint16Array(partnerStart[n]) : new Int32Array(partnerStart[n]);
  const fill = partnerStart.slice(0, n);
  for (let e = 0; e < postings.length; e++) {
    const entry = postings.at(e);
    const after = entry & AFTER_MASK;
    if (after === 0) continue;
    const doc = entry >>> AFTER_BITS;
    let at = fill[doc];
    for (let f = e + 1; f <= e + after; f++) partners[at++] = postings.at(f) >>> AFTER_BITS;
    fill[doc] = at;
  }
  return { partners, partnerStart };
}

/** One stable counting-sort pass on the DIGIT_BITS bits of each key at `shift`, documents alongside. */
function radixPass(keys: Uint32Array, docs: Int32Array, toKeys: Uint32Array, toDocs: Int32Array, length: number, shift: number, counts: Int32Array): void {
  counts.fill(0);
  for (let e = 0; e < length; e++) counts[(keys[e] >>> shift) & DIGIT_MASK]++;
  for (let digit = 0, sum = 0; digit < counts.length; digit++) {
    const count = counts[digit];
    counts[digit] = sum;
    sum += count;
  }
  for (let e = 0; e < length; e++) {
    const at = counts[(keys[e] >>> shift) & DIGIT_MASK]++;
    toKeys[at] = keys[e];
    toDocs[at] = docs[e];
  }
}

// ---------------------------------------------------------------------------------------
// Originals

interface ExcerptHost {
  host: number;
  coverage: number;
}

/** The host that covers more of the excerpt; on a tie, the lower index. */
function betterHost(candidate: ExcerptHost, best: ExcerptHost | undefined): boolean {
  if (!best) return true;
  if (Math.abs(candidate.coverage - best.coverage) > 1e-12) return candidate.coverage > best.coverage;
  return candidate.host < best.host;
}

/**
 * The original is the earliest dated copy; when dates do not decide, the longer text when
 * one is an excerpt, else the cleaner text: the one whose own words (those the other copy
 * lacks) are more common in English, because a spinner swaps the words reporters use for
 * rarer synonyms ("police" → "law enforcement", "said" → "mentioned"). English, not this
 * corpus: where spun copies are many, as in a spun-content feed, a spinner's synonyms are as
 * common in the corpus as the words they replaced, and the corpus's counts picked the spun
 * copy in 19 of 30 labelled pairs. Path order breaks exact ties. `commonness` gives both
 * texts' scores; it is called only when the dates do not decide.
 */
function isBetterOriginal(a: CleanArticle, b: CleanArticle, commonness: () => [number, number]): boolean {
  const dateA = a.published ?? null;
  const dateB = b.published ?? null;
  if (dateA && dateB && dateA !== dateB) return dateA < dateB;
  if (dateA && !dateB) return true;
  if (!dateA && dateB) return false;
  const [cleanA, cleanB] = commonness();
  if (Math.abs(cleanA - cleanB) > 1e-9) return cleanA > cleanB;
  return a.path < b.path;
}
