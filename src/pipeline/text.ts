// Text primitives every stage shares: normalization, tokens, stems, stopwords, sentence
// splitting and a fast stable hash. Pure and synchronous so the Worker and the CLI agree.
import { stemmer } from "stemmer";
import { COMMON_WORDS } from "./common-words";

// Character classes as scanners need them. `\s` is JavaScript's whitespace set, so counts and
// splits agree exactly with the regular expressions they replace.
export function isSpaceCode(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

// Letter-or-digit (\p{L}\p{N}) and letter (\p{L}) tests for the hot character scans: fixed
// 64 KiB tables filled lazily from the Unicode regexes, so they cannot grow.
/**
 * A membership test for one Unicode class, answering ASCII by `ascii`, the BMP from a table
 * filled on first sight (1 yes, 2 no), and astral code points by asking the regex.
 * Lone surrogates are never members.
 */
function codeClass(pattern: RegExp, ascii: (code: number) => boolean): (code: number) => boolean {
  const bmp = new Uint8Array(0x10000);
  return (code) => {
    if (code < 0x80) return ascii(code);
    if (code >= 0x10000) return pattern.test(String.fromCodePoint(code));
    let known = bmp[code];
    if (known === 0) {
      known = code < 0xd800 || code > 0xdfff ? (pattern.test(String.fromCharCode(code)) ? 1 : 2) : 2;
      bmp[code] = known;
    }
    return known === 1;
  };
}

const isAsciiLetter = (code: number): boolean => (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
/** Is this code point a letter or digit in the sense of /[\p{L}\p{N}]/u? */
export const isLetterOrDigit = codeClass(/^[\p{L}\p{N}]$/u, (code) => isAsciiLetter(code) || (code >= 0x30 && code <= 0x39));
const SINGLE_LETTER = /^\p{L}$/u;
/** Is this code point a letter (/\p{L}/u)? */
export const isLetter = codeClass(SINGLE_LETTER, isAsciiLetter);
/** Is this code point an upper-case letter (/\p{Lu}/u)? */
export const isUpperLetter = codeClass(/^\p{Lu}$/u, (code) => code >= 0x41 && code <= 0x5a);

// ASCII letters and digits → their lower-case code; 0 for every other ASCII character. One
// table load per character in the hot ASCII scans instead of a chain of range tests.
const ASCII_ALNUM_LOWER = new Uint8Array(0x80);
for (let code = 0x30; code <= 0x39; code++) ASCII_ALNUM_LOWER[code] = code;
for (let code = 0x61; code <= 0x7a; code++) ASCII_ALNUM_LOWER[code] = code;
for (let code = 0x41; code <= 0x5a; code++) ASCII_ALNUM_LOWER[code] = code + 0x20;

/** `\w` as a non-Unicode regex sees it: what `\b` in tokenize's "'s\b" rule tests. */
function isAsciiWordCode(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

// Detection scans use the regex engine: a compiled character-class search beats a loop here.
const NON_ASCII = /[^\x00-\x7F]/;
function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

// Typography straightened after NFKC, in one pass: the five groups are disjoint and every
// replacement is plain ASCII, so one pass equals applying them one after another.
const TYPOGRAPHY = /[\u2018\u2019\u201A\u201B\u2032\u201C\u201D\u201E\u201F\u2033\u2010-\u2015\u2212\u2026\u00A0\u2000-\u200B\u202F\u205F\u3000]/g;
function straighten(char: string): string {
  const code = char.charCodeAt(0);
  if (code === 0x2026) return "...";
  if (code === 0x201c || code === 0x201d || code === 0x201e || code === 0x201f || code === 0x2033) return '"';
  if (code === 0x2018 || code === 0x2019 || code === 0x201a || code === 0x201b || code === 0x2032) return "'";
  if ((code >= 0x2010 && code <= 0x2015) || code === 0x2212) return "-";
  return " ";
}

/** Unicode-normalize and straighten typography so copies with different quotes compare equal. */
export function normalizeText(text: string): string {
  // Most sentences are plain ASCII, which NFKC leaves alone and no rule below touches.
  if (isAscii(text)) return text;
  return text.normalize("NFKC").replace(TYPOGRAPHY, straighten);
}

/** Lower-cased word tokens (letters and digits), apostrophes folded: "Japan's" → "japan". */
export function tokenize(text: string): string[] {
  const list = new TokenList();
  tokenizeInto(text, list);
  return list.tokens;
}

/** tokenize(text) handed to `sink` token by token, with no string made per token. */
export function tokenizeInto(text: string, sink: TokenSink): void {
  scanTokens(normalizeText(text).toLowerCase(), sink);
}

/**
 * Where tokenize's scan hands its tokens: each token as the pieces of text it is made of (a
 * dropped apostrophe splits a token into pieces), then its end. A reader that copies tokens
 * into its own buffers takes them from here without a string per token.
 */
export interface TokenSink {
  piece(text: string, from: number, to: number): void;
  end(): void;
}

/** A surrogate without its other half: the scan below leaves such text to the regular expressions. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * tokenize() of text already normalized and lower-cased, into `sink`. One scan does what three
 * regular expressions did: "'s" before a non-word character and every other apostrophe are
 * dropped (joining the letters around them), and the tokens are the runs of letters and digits.
 */
function scanTokens(lowered: string, sink: TokenSink): void {
  // A lone surrogate could pair up once an apostrophe between halves is dropped: the regular
  // expressions define the result there.
  if (!isAscii(lowered) && LONE_SURROGATE.test(lowered)) {
    for (const token of tokenizeByRegex(lowered)) {
      sink.piece(token, 0, token.length);
      sink.end();
    }
    return;
  }
  const length = lowered.length;
  let inToken = false;
  let runStart = -1; // start of the current run of kept characters inside the token
  for (let i = 0; i < length; ) {
    const code = lowered.charCodeAt(i);
    if (code === 0x27) {
      // "'s\b" goes whole, any other apostrophe alone; neither ends a token.
      const skip = lowered.charCodeAt(i + 1) === 0x73 && !isAsciiWordCode(lowered.charCodeAt(i + 2)) ? 2 : 1;
      if (inToken && runStart >= 0) {
        sink.piece(lowered, runStart, i);
        runStart = -1;
      }
      i += skip;
      continue;
    }
    let width = 1;
    let point = code;
    if (code >= 0xd800 && code <= 0xdbff) {
      point = (code - 0xd800) * 0x400 + (lowered.charCodeAt(i + 1) - 0xdc00) + 0x10000;
      width = 2;
    }
    if (isLetterOrDigit(point)) {
      inToken = true;
      if (runStart < 0) runStart = i;
    } else if (inToken) {
      if (runStart >= 0) sink.piece(lowered, runStart, i);
      sink.end();
      inToken = false;
      runStart = -1;
    }
    i += width;
  }
  if (inToken) {
    if (runStart >= 0) sink.piece(lowered, runStart, length);
    sink.end();
  }
}

/** Collects scanTokens's tokens as strings. */
class TokenList implements TokenSink {
  tokens: string[] = [];
  private token = "";
  piece(text: string, from: number, to: number): void {
    this.token += text.slice(from, to);
  }
  end(): void {
    this.tokens.push(this.token);
    this.token = "";
  }
}

function tokenizeFolded(lowered: string): string[] {
  const list = new TokenList();
  scanTokens(lowered, list);
  return list.tokens;
}

function tokenizeByRegex(lowered: string): string[] {
  return lowered.replace(/'s\b/g, "").replace(/'/g, "").match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The letters and digits of a text, normalized and lower-cased, one space between runs:
 * `normalizeText(text).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim()` in one scan.
 * Texts with the same key differ only in punctuation, spacing or case.
 */
export function letterDigitKey(text: string): string {
  return foldedLetterDigitKey(normalizeText(text).toLowerCase());
}

/** letterDigitKey of text already normalized and lower-cased. */
function foldedLetterDigitKey(folded: string): string {
  const runs: string[] = [];
  let runStart = -1;
  for (let i = 0; i < folded.length; ) {
    let code = folded.charCodeAt(i);
    let width = 1;
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = folded.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    if (isLetterOrDigit(code)) {
      if (runStart < 0) runStart = i;
    } else if (runStart >= 0) {
      runs.push(folded.slice(runStart, i));
      runStart = -1;
    }
    i += width;
  }
  if (runStart >= 0) runs.push(folded.slice(runStart));
  return runs.join(" ");
}

export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how " +
    "i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own " +
    "same she should so some such than that the their theirs them themselves then there these they this those through to too under until up " +
    "very was we were what when where which while who whom why will with would you your yours yourself yourselves " +
    "s t don said says say according mr mrs ms one two new would may might must shall us also still yet however since per via amid among upon whether"
  ).split(" "),
);

/** Porter stem, memoized: the same few thousand words recur across a corpus. */
const stemCache = new Map<string, string>();
export function stem(token: string): string {
  let cached = stemCache.get(token);
  if (cached === undefined) {
    const first = token.charCodeAt(0);
    cached = first >= 0x30 && first <= 0x39 ? token : stemmer(token);
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(token, cached);
  }
  return cached;
}

// Token → content term (null for a stopword or a lone non-digit character), so a token costs
// one lookup instead of a stopword check plus a stem lookup. An open-addressing table keyed by
// the token's characters and their FNV-1a hash: a token seen before is found straight from the
// text it sits in, without slicing a string for it. Cleared past MAX_TERMS, like the stem cache.
const MAX_TERMS = 200_000;
let termSlots = 1 << 12; // a power of two, kept at least twice the entry count
let termHashes = new Int32Array(termSlots);
let termTokens: (string | undefined)[] = new Array<string | undefined>(termSlots).fill(undefined);
let termValues: (string | null)[] = new Array<string | null>(termSlots).fill(null);
let termCount = 0;

/** FNV-1a state: hash32 folds each UTF-16 unit in with FNV_PRIME from FNV_OFFSET, then finishes. */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a state after folding in each UTF-16 unit of `text`, from `h` (a fresh state by default). */
export function fnv1a(text: string, h = FNV_OFFSET | 0): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** The term for the token `source.slice(start, start + length)` whose hash is `h`; undefined if not yet known. */
function knownTerm(h: number, source: string, start: number, length: number): string | null | undefined {
  const mask = termSlots - 1;
  for (let slot = h & mask; ; slot = (slot + 1) & mask) {
    const token = termTokens[slot];
    if (token === undefined) return undefined;
    if (termHashes[slot] === h && token.length === length && source.startsWith(token, start)) return termValues[slot];
  }
}

function learnTerm(h: number, token: string): string | null {
  const digit = token.charCodeAt(0) >= 0x30 && token.charCodeAt(0) <= 0x39;
  const term = STOPWORDS.has(token) || (token.length < 2 && !digit) ? null : stem(token);
  if (termCount >= MAX_TERMS) resizeTerms(1 << 12);
  else if (2 * (termCount + 1) > termSlots) resizeTerms(termSlots * 2);
  putTerm(h, token, term);
  return term;
}

function putTerm(h: number, token: string, term: string | null): void {
  const mask = termSlots - 1;
  let slot = h & mask;
  while (termTokens[slot] !== undefined) slot = (slot + 1) & mask;
  termHashes[slot] = h;
  termTokens[slot] = token;
  termValues[slot] = term;
  termCount++;
}

/** Re-create the table with `slots` slots: empty when shrinking (the cap), else rehashed. */
function resizeTerms(slots: number): void {
  const [hashes, tokens, values] = [termHashes, termTokens, termValues];
  const keep = slots > termSlots;
  termSlots = slots;
  termHashes = new Int32Array(slots);
  termTokens = new Array<string | undefined>(slots).fill(undefined);
  termValues = new Array<string | null>(slots).fill(null);
  termCount = 0;
  if (keep) for (let i = 0; i < tokens.length; i++) if (tokens[i] !== undefined) putTerm(hashes[i], tokens[i]!, values[i]);
}

/** Stemmed content terms: what similarity between texts is computed over. */
export function contentTerms(text: string): string[] {
  const lowered = normalizeText(text).toLowerCase();
  const terms: string[] = [];
  return scanAsciiTerms(lowered, terms) === null ? tokenContentTerms(tokenizeFolded(lowered)) : terms;
}

// The key hash folds the FNV-1a hashes of the key's runs in order.
const KEY_HASH_START = 0x2f3e5d71;
function addRunToKeyHash(keyHash: number, runHash: number): number {
  return Math.imul(keyHash ^ runHash, 0x5bd1e995) ^ (keyHash >>> 13);
}

/**
 * contentTerms(text), and a hash of letterDigitKey(text) (equal keys, equal hashes) for
 * finding exact repeats. Plain ASCII text gives both from one scan: there the key's runs are
 * the very tokens contentTerms reads.
 */
export function contentTermsAndKeyHash(text: string): { terms: string[]; keyHash: number } {
  const lowered = normalizeText(text).toLowerCase();
  const terms: string[] = [];
  const keyHash = scanAsciiTerms(lowered, terms);
  if (keyHash !== null) return { terms, keyHash };
  const key = foldedLetterDigitKey(lowered);
  let slowHash = KEY_HASH_START;
  if (key) for (const run of key.split(" ")) slowHash = addRunToKeyHash(slowHash, fnv1a(run));
  return { terms: tokenContentTerms(tokenizeFolded(lowered)), keyHash: slowHash };
}

/**
 * The terms of folded text that is plain ASCII without apostrophes (most sentences), pushed
 * to `terms`: tokens are the runs of [a-z0-9], hashed as they are scanned. Returns the key
 * hash, or null for any other text (and `terms` is then to be discarded).
 */
function scanAsciiTerms(lowered: string, terms: string[]): number | null {
  const length = lowered.length;
  let keyHash = KEY_HASH_START;
  let start = -1;
  let h = 0;
  for (let i = 0; i <= length; i++) {
    const code = i < length ? lowered.charCodeAt(i) : 0x20;
    if (code < 0x80 && ASCII_ALNUM_LOWER[code] !== 0) {
      if (start < 0) {
        start = i;
        h = FNV_OFFSET | 0;
      }
      h = Math.imul(h ^ code, FNV_PRIME);
    } else {
      if (code >= 0x80 || code === 0x27) return null;
      if (start >= 0) {
        let term = knownTerm(h, lowered, start, i - start);
        if (term === undefined) term = learnTerm(h, lowered.slice(start, i));
        if (term !== null) terms.push(term);
        keyHash = addRunToKeyHash(keyHash, h);
        start = -1;
      }
    }
  }
  return keyHash;
}

function tokenContentTerms(tokens: string[]): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const h = fnv1a(token);
    let term = knownTerm(h, token, 0, token.length);
    if (term === undefined) term = learnTerm(h, token);
    if (term !== null) out.push(term);
  }
  return out;
}

/** Number of whitespace-separated words, as `text.split(/\s+/).filter(Boolean).length`. */
export function wordCount(text: string): number {
  return wordCountUpTo(text, Infinity);
}

/**
 * wordCount() for callers that only compare it with a limit: exact up to `limit`, and
 * `limit + 1` for anything longer, so a long paragraph is not counted to its end.
 */
export function wordCountUpTo(text: string, limit: number): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    if (isSpaceCode(text.charCodeAt(i))) {
      inWord = false;
    } else if (!inWord) {
      inWord = true;
      if (++count > limit) return count;
    }
  }
  return count;
}

// Whitespace other than a single space: a non-space whitespace character, or a space followed by more.
const UNCOLLAPSED_SPACE = /[^\S ]| \s/;

/** `text.replace(/\s+/g, " ")` without building a new string when there is nothing to change. */
function collapseWhitespace(text: string): string {
  return UNCOLLAPSED_SPACE.test(text) ? text.replace(/\s+/g, " ") : text;
}

// Words that end with a period without ending the sentence. Months and titles come first
// because "Jan. 5" and "Mr. Kihara" are the most frequent false breaks in news text.
const ABBREVIATIONS = new Set(
  (
    "mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm maj cpl pvt st jr sr rev hon pres supt insp det " +
    "inc ltd co corp bros llc plc vs etc al approx dept est fig no nos vol ft mt mts ave blvd rd hwy " +
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun " +
    "a.m p.m e.g i.e u.s u.k u.n u.s.a d.c n.y l.a e.u ph.d b.c a.d"
  ).split(" "),
);

// After an acronym such as "U.S." a capitalized function word usually starts a new sentence.
const SENTENCE_STARTERS = new Set(
  "the a an he she it they we this that these those his her its their there in on at but and or so as after before when while if however meanwhile i".split(
    " ",
  ),
);

// Inside a paragraph a break needs terminal punctuation, optional closing quotes or brackets,
// whitespace, and an upper-case letter, digit or opening quote. Global, so exec() walks the
// text from lastIndex; splitSentences resets it before each use.
const SENTENCE_BOUNDARY = /([.!?]+)(["'\u201D\u2019)\]]*)\s+(?=["'\u201C\u2018(\[]?[\p{Lu}\p{N}])/gu;
const SENTENCE_STOP = /[.!?]["'\u201D\u2019)\]]*$/;

/**
 * Split a paragraph into sentences. Paragraph breaks are always sentence breaks (headlines
 * carry no full stop); inside a paragraph a break needs terminal punctuation, optional
 * closing quotes or brackets, whitespace, and an upper-case letter, digit or opening quote.
 */
export function splitSentences(paragraph: string): string[] {
  const text = collapseWhitespace(paragraph).trim();
  if (!text) return [];
  const sentences: string[] = [];
  const boundary = SENTENCE_BOUNDARY;
  boundary.lastIndex = 0;
  let start = 0;
  let match: RegExpExecArray | null;
  while ((match = boundary.exec(text)) !== null) {
    const end = match.index + match[1].length + match[2].length;
    if (match[1] === "." && !match[2] && !isSentenceEnd(text, match.index)) continue;
    const sentence = text.slice(start, end).trim();
    if (sentence) pushUnglued(sentence, sentences);
    start = match.index + match[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest) pushUnglued(rest, sentences);
  return sentences;
}

// A capitalized word that starts a sentence, between a word and a lower-case word: an article
// or number word ("… arrested in Canada The leader of …", "… for undisclosed reasons The
// actress, 33, …"), a subject pronoun ("… hits Greece There's been …", "… frustrations They
// gripped …"), or a lead set in capitals, as tabloids open ("… boy's death A GREEK police
// officer …", "… in Surrey A HUGE fire …"). Group 1 is the word before, 2 the capitalized
// start, 3 the word after.
const GLUED_START =
  /(?<![\p{L}\p{N}'’.-])([\p{L}\p{N}][\p{L}\p{N}'’]*) (The|An|A|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|(?:There|They|He|She|It|We)(?:['’](?:s|re|ll|d|ve))?|(?:(?:The|An|A) )?\p{Lu}{2,}) (\p{Ll}[\p{L}'’-]*)/gu;
const MAYBE_GLUED = / (?:The|An?|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten) [^\sA-Z0-9]| (?:There|They|He|She|It|We)['’ ]| \p{Lu}{2}/u;
const PRONOUN_START = /^(?:There|They|He|She|It|We)\b/;
const CAPITALS_START = /^(?:(The|An|A) )?(\p{Lu}+)$/u;

/**
 * Push a sentence, cut where a headline was pasted in front of its lead without a full stop,
 * or where a page lost one. Mid-sentence "The" and "An" are capitalized only in names, which
 * follow a function word ("near The Geysers") or go on in capitals ("named The Guardian's");
 * "A" and number words also name things after a capitalized word ("Vitamin A deficiency",
 * "Big Ten schools"), and "He" is a surname ("Vice Premier He said"), so they and the other
 * pronouns but There and They start a sentence only after a lower-case word. A word in
 * capitals is mostly an acronym ("said NATO officials"): it starts a sentence only behind a
 * capitalized article ("A GREEK police officer") or when it is a common English word ("HUGE
 * fire"). Headline Case capitalizes every word, so there capitals say nothing, except where
 * it stops: a headline in Headline Case glued to a lead in sentence case ("Tara Reid Checks
 * Into Rehab For Undisclosed Reasons It's been a long time coming, …") is cut where the
 * lead's first word starts (see endsHeadlineCase).
 */
function pushUnglued(sentence: string, out: string[]): void {
  // Few sentences have such a capital at all; a plain regex finds them much faster.
  if (!MAYBE_GLUED.test(sentence)) return void out.push(sentence);
  GLUED_START.lastIndex = 0;
  let start = 0;
  let headline: boolean | undefined;
  let match: RegExpExecArray | null;
  while ((match = GLUED_START.exec(sentence)) !== null) {
    const [, before, starter, after] = match;
    const cut = match.index + before.length;
    GLUED_START.lastIndex = cut + 1;
    if (STOPWORDS.has(before.toLowerCase())) continue;
    const headlineEnds = endsHeadlineCase(sentence.slice(start, cut), sentence.slice(cut + 1));
    if (!headlineEnds && !startsSentence(starter, before, after)) continue;
    headline ??= isHeadlineCase(sentence);
    if (headline && !headlineEnds) return void out.push(sentence);
    out.push(sentence.slice(start, cut));
    start = cut + 1;
  }
  out.push(start === 0 ? sentence : sentence.slice(start));
}

/** Words of a Headline Case headline before its lead, at least. */
const HEADLINE_CASE_WORDS = 4;

/**
 * Whether `before` is a headline in Headline Case and `after` a sentence that is not: every
 * word of `before` starts with a capital or a digit, one past its first is a capitalized
 * function word ("Into", "For": a name has none, a headline has), and `after` runs on in
 * sentence case. (Words cut at single spaces, as sentences have them.)
 */
export function endsHeadlineCase(before: string, after: string): boolean {
  const words = before.split(" ");
  if (words.length < HEADLINE_CASE_WORDS || !words.every((word) => /^["'‘“]?[\p{Lu}\d]/u.test(word))) return false;
  if (!words.slice(1).some((word) => STOPWORDS.has(word.toLowerCase()))) return false;
  return wordCountUpTo(after, HEADLINE_CASE_WORDS) >= HEADLINE_CASE_WORDS && !isHeadlineCase(after);
}

/** Whether `starter` (a GLUED_START group 2) starts a new sentence between `before` and `after`. */
function startsSentence(starter: string, before: string, after: string): boolean {
  if (PRONOUN_START.test(starter)) return /^The[ry]/.test(starter) || startsLower(before);
  if (STOPWORDS.has(after)) return false;
  const capitals = CAPITALS_START.exec(starter);
  if (capitals && capitals[2].length > 1) return startsLower(before) && (capitals[1] !== undefined || (capitals[2].length >= 4 && englishCommonness(capitals[2].toLowerCase()) > 0));
  return starter === "The" || starter === "An" || startsLower(before);
}

let commonWordRanks: Map<string, number> | undefined;
let commonTermRanks: Map<string, number> | undefined;

/** The most frequent English words, most frequent first; split on first use, so serving a page never pays for it. */
function commonWords(): string[] {
  return COMMON_WORDS.trim().split(" ");
}

/**
 * How common a word is in English: log(N + 1) − log(rank + 1) for the word at `rank` among the
 * N most frequent (a Zipf reading of rank as frequency), 0 for any other word.
 */
export function englishCommonness(word: string): number {
  if (!commonWordRanks) {
    const words = commonWords();
    commonWordRanks = new Map(words.map((w, rank) => [w, Math.log(words.length + 1) - Math.log(rank + 1)]));
  }
  return commonWordRanks.get(word) ?? 0;
}

/**
 * A content term's rank among the most frequent English words (the rank of its most frequent
 * word: "said" and "says" give "said"'s to the stem "said"), or undefined for a term none of
 * them stems to (names, numbers, rarer words).
 */
export function commonTermRank(term: string): number | undefined {
  if (!commonTermRanks) {
    commonTermRanks = new Map();
    commonWords().forEach((word, rank) => {
      const key = stem(word);
      if (!commonTermRanks!.has(key)) commonTermRanks!.set(key, rank);
    });
  }
  return commonTermRanks.get(term);
}

/**
 * Headline Case ("Speculation Over Kim's Health Is Fueled by Secrecy"): most words of four or
 * more characters (cut at whitespace) that start with a letter start with a capital, so there
 * capitals mark neither names nor sentence starts. `share` is how many count as most.
 */
export function isHeadlineCase(text: string, share = 0.6): boolean {
  let long = 0;
  let capitalized = 0;
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !isSpaceCode(text.charCodeAt(i))) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      const kind = headlineCaseKind(text, start, i);
      if (kind > 0) long++;
      if (kind > 1) capitalized++;
    }
    start = -1;
  }
  return isHeadlineCaseCount(long, capitalized, share);
}

/**
 * How the word text[start, end) counts toward Headline Case: 0 not at all (under four
 * characters, or not opening with a letter), 1 as a long word, 2 as a long capitalized one.
 * For callers that have cut a text into words already (cluster's entityTerms), with
 * isHeadlineCaseCount: the same decision as isHeadlineCase without a second scan.
 */
export function headlineCaseKind(text: string, start: number, end: number): 0 | 1 | 2 {
  if (end - start < 4) return 0;
  // The first code point, as /^\p{L}/u and /^\p{Lu}/u would read the word: ASCII by code.
  const first = text.codePointAt(start)!;
  return !isLetter(first) ? 0 : isUpperLetter(first) ? 2 : 1;
}

/** Whether `capitalized` of `long` words (see headlineCaseKind) make Headline Case. */
export function isHeadlineCaseCount(long: number, capitalized: number, share = 0.6): boolean {
  return long >= 3 && capitalized / long >= share;
}

/** Common irregular past tenses: after "and", the start of a second statement ("… in a mirror | and got a glimpse"); before an object, a verb that needs it. */
export const IRREGULAR_PAST: ReadonlySet<string> = new Set(
  "got went took made said told left gave came ran set put cut hit shed fled held met won lost sent kept became began saw found brought sold paid led fell rose struck spent built broke wrote drove fought caught threw stood sat meant known seen shown given taken thought heard felt chosen done gone".split(" "),
);
/** A past tense or participle, by its ending or the irregular list (a lower-case bare word). */
export function isPastForm(bare: string): boolean {
  return /ed$/.test(bare) || IRREGULAR_PAST.has(bare);
}
/** A past form of more than three letters: "bed" and "red" end in "-ed" too. */
export function isLongPastForm(bare: string): boolean {
  return bare.length > 3 && isPastForm(bare);
}
/** A word lower-cased, without the punctuation after it. */
export const bareWord = (word: string): string => word.toLowerCase().replace(/[^\p{L}\p{N}'-]+$/u, "");
export const AUXILIARIES: ReadonlySet<string> = new Set("is are was were be been has have had will would can could may might shall should must do does did".split(" "));

/** Starts with a lower-case letter. */
export const startsLower = (word: string): boolean => /^\p{Ll}/u.test(word);

/** Ends as splitSentences ends a sentence: terminal punctuation, then closing quotes or brackets. */
export function endsWithStop(sentence: string): boolean {
  return SENTENCE_STOP.test(sentence);
}

// The word after a period: optional opening quote or bracket, then letters.
const NEXT_WORD = /\s+["'(]?(\p{L}+)/uy;

function nextWordStartsSentence(text: string, periodIndex: number): boolean {
  NEXT_WORD.lastIndex = periodIndex + 1;
  const next = NEXT_WORD.exec(text)?.[1]?.toLowerCase();
  return next !== undefined && SENTENCE_STARTERS.has(next);
}

function isSentenceEnd(text: string, periodIndex: number): boolean {
  // The word before the period: the longest run of letters and dots ending there, looking
  // back at most 48 characters (a scan backwards instead of an end-anchored regex, which
  // would retry from every position).
  const floor = Math.max(0, periodIndex - 48);
  let from = periodIndex;
  while (from > floor) {
    const code = text.charCodeAt(from - 1);
    if (code === 0x2e) {
      from--;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      const high = from - 2 >= floor ? text.charCodeAt(from - 2) : 0;
      if (!(high >= 0xd800 && high <= 0xdbff) || !isLetter((high - 0xd800) * 0x400 + (code - 0xdc00) + 0x10000)) break;
      from -= 2;
    } else if (isLetter(code)) {
      from--;
    } else {
      break;
    }
  }
  const word = text.slice(from, periodIndex).toLowerCase();
  if (!word) return true;
  // A single letter is an initial ("John F. Kennedy"), unless it is a pronoun-like "I".
  if (SINGLE_LETTER.test(word)) return word === "i";
  if (ABBREVIATIONS.has(word)) {
    if (!word.includes(".")) return false;
    // "U.S." can end a sentence: decide by the next word.
    return nextWordStartsSentence(text, periodIndex);
  }
  // Dotted acronyms not in the list ("N.A.T.O.") behave like the listed ones.
  if (/^(\p{L}\.)+\p{L}$/u.test(word)) return nextWordStartsSentence(text, periodIndex);
  return true;
}

/**
 * `text` as a string of its own. V8 (and so workerd) keeps a slice of a long string as a
 * pointer into it, so a headline or a one-sentence paragraph cut from a scraped page keeps
 * the whole page alive for as long as the analysis is kept (analysing 10,000 synthetic
 * articles held 158 MB, 100 MB with this). A JSON round trip is the one portable way to get
 * fresh characters.
 */
export function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** 64-bit FNV-1a style hash as 16 hex chars: stable ids and ETags without async crypto. */
export function hash64(text: string): string {
  let h1 = 0x811c9dc5 ^ 0;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 16;
  h2 = Math.imul(h2 ^ (h1 >>> 7), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}

/** hash32's finalizer, for callers that fold characters in place (dedupe hashes shingles without building strings). */
export function finishHash32(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

/** 32-bit hash for shingles and index keys. */
export function hash32(text: string): number {
  return finishHash32(fnv1a(text));
}
