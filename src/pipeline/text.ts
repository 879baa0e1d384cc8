// Text primitives every stage shares: normalization, tokens, stems, stopwords, sentence
// splitting and a fast stable hash. Pure and synchronous so the Worker and the CLI agree.
import { stemmer } from "stemmer";

/** Unicode-normalize and straighten typography so copies with different quotes compare equal. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\u2026/g, "...")
    .replace(/[\u00A0\u2000-\u200B\u202F\u205F\u3000]/g, " ");
}

/** Lower-cased word tokens (letters and digits), apostrophes folded: "Japan's" → "japan". */
export function tokenize(text: string): string[] {
  const lowered = normalizeText(text).toLowerCase().replace(/'s\b/g, "").replace(/'/g, "");
  return lowered.match(/[\p{L}\p{N}]+/gu) ?? [];
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
    cached = /^\d/.test(token) ? token : stemmer(token);
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(token, cached);
  }
  return cached;
}

/** Stemmed content terms: what similarity between texts is computed over. */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    if (STOPWORDS.has(token) || (token.length < 2 && !/\d/.test(token))) continue;
    out.push(stem(token));
  }
  return out;
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
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

/**
 * Split a paragraph into sentences. Paragraph breaks are always sentence breaks (headlines
 * carry no full stop); inside a paragraph a break needs terminal punctuation, optional
 * closing quotes or brackets, whitespace, and an upper-case letter, digit or opening quote.
 */
export function splitSentences(paragraph: string): string[] {
  const text = paragraph.replace(/\s+/g, " ").trim();
  if (!text) return [];
  const sentences: string[] = [];
  const boundary = /([.!?]+)(["'\u201D\u2019)\]]*)\s+(?=["'\u201C\u2018(\[]?[\p{Lu}\p{N}])/gu;
  let start = 0;
  let match: RegExpExecArray | null;
  while ((match = boundary.exec(text)) !== null) {
    const end = match.index + match[1].length + match[2].length;
    if (match[1] === "." && !match[2] && !isSentenceEnd(text, match.index)) continue;
    const sentence = text.slice(start, end).trim();
    if (sentence) sentences.push(sentence);
    start = match.index + match[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

function isSentenceEnd(text: string, periodIndex: number): boolean {
  const before = text.slice(Math.max(0, periodIndex - 48), periodIndex);
  const word = (before.match(/([\p{L}.]+)$/u)?.[1] ?? "").toLowerCase();
  if (!word) return true;
  // A single letter is an initial ("John F. Kennedy"), unless it is a pronoun-like "I".
  if (/^\p{L}$/u.test(word)) return word === "i";
  if (ABBREVIATIONS.has(word)) {
    if (!word.includes(".")) return false;
    // "U.S." can end a sentence: decide by the next word.
    const next = text.slice(periodIndex + 1).match(/^\s+["'(]?(\p{L}+)/u)?.[1]?.toLowerCase();
    return next !== undefined && SENTENCE_STARTERS.has(next);
  }
  // Dotted acronyms not in the list ("N.A.T.O.") behave like the listed ones.
  if (/^(\p{L}\.)+\p{L}$/u.test(word)) {
    const next = text.slice(periodIndex + 1).match(/^\s+["'(]?(\p{L}+)/u)?.[1]?.toLowerCase();
    return next !== undefined && SENTENCE_STARTERS.has(next);
  }
  return true;
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

/** 32-bit hash for shingles and index keys. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}
