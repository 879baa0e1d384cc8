// Line-level signals of page furniture: the general patterns scraped news pages share
// (navigation, rankings, social links, credits, datelines). Ingest uses them to find the
// header; clean uses them to drop boilerplate. No rule names a particular site.
import { MONTH_WORD, WEEKDAY_WORD, ZONE_NAME, containsDate } from "./dates";
import { endsWithStop, isHeadlineCase, splitSentences, wordCountUpTo } from "./text";

const MARKER =
  /^(?:[-–—•*|:#"'\s]*)(?:["'][^"']{1,30}["']\s*)?(?:related(?:\s+(?:posts?|articles?|stories|news|content|coverage|links?|topics?|reading|videos?))?|popular(?:\s+(?:articles?|stories|posts?|now|news))?|most\s+(?:read|popular|viewed|shared|emailed|commented|recent)|trending(?:\s+now)?|recommended(?:\s+for\s+you)?|read\s+(?:more|also|next|this)|also\s+read|see\s+also|more\s+(?:from|on|stories|news|like\s+this)|you\s+(?:may|might)\s+(?:also\s+)?like|don'?t\s+miss|editor'?s\s+picks?|top\s+stories|latest\s+(?:news|stories|posts)|follow\s+us|share\s+(?:this|on)|sign\s+up|subscribe|newsletter|advertisement|sponsored(?:\s+content)?|comments?|leave\s+a\s+(?:comment|reply)|tags?|filed\s+under|categories|click\s+here|(?:[\w.&'-]+\s+){0,3}(?:access\s+)?ranking)\b/i;

const SOCIAL = new Set(
  "facebook twitter x youtube instagram linkedin whatsapp email e-mail pinterest reddit telegram tiktok print share copy link rss threads flipboard mastodon bluesky line weibo wechat snapchat tumblr".split(
    " ",
  ),
);

/** Navigation and list markers: "Related Posts", "POPULAR ARTICLE", "Most read", "Follow us on social". */
export function isSectionMarker(line: string): boolean {
  return wordCountUpTo(line, 8) <= 8 && MARKER.test(line.trim());
}

/** A line of nothing but share buttons or network names. */
export function isSocialLine(line: string): boolean {
  // Words between share-button separators, read lazily: nearly every line fails on its first.
  // Lower-casing word by word equals lower-casing the line: it never makes or removes a
  // separator, and its one context-dependent rule (Greek final sigma) only picks between two
  // non-ASCII letters the check strips anyway.
  let any = false;
  for (const m of line.matchAll(/[^\s|,·•/]+/g)) {
    if (!SOCIAL.has(m[0].toLowerCase().replace(/[^a-z-]/g, ""))) return false;
    any = true;
  }
  return any;
}

/** "-", "|", "***", "1." — separators left behind by stripped markup. */
export function isPunctuationOnly(line: string): boolean {
  return !/[\p{L}]/u.test(line) && line.trim().length <= 6;
}

const COPYRIGHT = /^(?:©|\(c\)|copyright\b)\s*(?:\d{4}\s*)?(.{0,80})$|all rights reserved/i;

/** "© KYODO", "Copyright 2024 The Associated Press. All rights reserved." */
export function copyrightHolder(line: string): string | null | undefined {
  const text = line.trim();
  if (wordCountUpTo(text, 14) > 14) return undefined;
  const match = COPYRIGHT.exec(text);
  if (!match) return undefined;
  const holder = (match[1] ?? "")
    .replace(/all rights reserved\.?/i, "")
    .replace(/^\d{4}(?:\s*-\s*\d{4})?\s*/, "")
    .replace(/[.,;\s]+$/, "")
    .trim();
  return holder ? holder : null;
}

const CREDIT =
  /(?:\b(?:photo(?:graph)?s?|image|picture|video|graphic|illustration)\s*(?:credit(?:\s+score)?|courtesy|by|source)?\s*[:|]|\bcredit(?:\s+score)?\s*:|\bfile\s*(?:photo\s*)?\||\b(?:getty\s+images|ap\s+photo|afp|reuters|shutterstock|istock|epa|xinhua)\s*(?:\/[^.]{0,40})?\)?\s*$)/i;

/** A photo credit standing alone: "Courtesy of The Woodburn Independent", "Photo courtesy of NASA" (with a full stop it is a sentence that says more). */
const COURTESY_CREDIT = /^(?:(?:photos?|images?)\s+)?courtesy\s+of\s+[^.!?]{2,80}$/i;
export function isCourtesyCredit(sentence: string): boolean {
  return COURTESY_CREDIT.test(sentence.trim());
}

/**
 * A label in capitals left without its content, or with a link's few words after it, at a
 * paragraph's end: "UPDATE:", "ON DEADLINE: Live updates and local coverage". A dateline
 * ("WASHINGTON: The Senate voted …") goes on into a sentence with its full stop.
 */
const DANGLING_LABEL = /^\p{Lu}[\p{Lu}\s]{1,30}:(?:\s+[^.!?]{0,60})?$/u;
export function isDanglingLabel(sentence: string): boolean {
  return DANGLING_LABEL.test(sentence.trim());
}

// The outlet pointing at its other pages: a press release's "SOURCE Summit Entertainment"
// footer, "Follow politics on the P-I's blog at blog.seattlepi.com/…".
const RELEASE_SOURCE = /^SOURCE\s+\p{Lu}[^.!?:]{0,60}$/u;
const FOLLOW_US = /^follow\b.{0,100}\b(?:at|on)\s+(?:@\w+|(?:[\w-]+\.)+(?:com|org|net|uk)\b\S*|twitter|facebook|instagram|x)\.?$/i;
export function isPromoLine(line: string): boolean {
  const text = line.trim();
  return RELEASE_SOURCE.test(text) || FOLLOW_US.test(text);
}

/** A photo caption or credit: a short paragraph that ends with "Photo credit: AP", "File | Photo: Reuters", "(Getty Images)". */
export function isCaption(paragraph: string): boolean {
  const text = paragraph.trim();
  // The credit pattern reads the last 70 characters only: try it before counting words.
  return CREDIT.test(text.slice(-70)) && wordCountUpTo(text, 80) <= 80;
}

const AGENCY_SLASHES = /\/\s*([A-Z][A-Z0-9 .&-]{1,30})\s*\//;
const BYLINE = /^(?:by|written by|reporting by|posted by|story by)\s+\p{Lu}/iu;
/** A publishing stamp's label: "Posted", "Updated", "First Published", "Last updated". */
const STAMP_LABEL = String.raw`(?:first\s+|last\s+)?(?:posted|updated|published|modified)\b`;
const STAMP = new RegExp(`^${STAMP_LABEL}`, "i");
const TIME_ONLY = /\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?\b/i;

/** A page's publishing stamp: "Posted …", "Updated: …", "PUBLISHED: THURSDAY, MAY 2, 2013, 1:32 PM". */
export function isStampLine(line: string): boolean {
  return STAMP.test(line.trim());
}

// Publishing stamps in front of a sentence, one or more ("PUBLISHED: WEDNESDAY, MARCH 13, 2013,
// 2:29 PM UPDATED: THURSDAY, …", "Last Updated: Jul 07, 2012 8:44 PM ET", "UPDATED: 22:07 GMT,
// 7 July 2012", "First Posted: 08/04/11 06:44 PM ET"): a label, or a date in figures, then only
// the words of a date and a time.
const STAMP_WORD = String.raw`(?:${WEEKDAY_WORD}|${MONTH_WORD}|\d{1,2}\/\d{1,2}\/\d{2,4}|\d{1,2}[:.]\d{2}(?::\d{2})?|\d{1,4}(?:st|nd|rd|th)?|[ap]\.?m|${ZONE_NAME}|at|on)`;
const STAMP_PREFIX = new RegExp(String.raw`^(?:(?:${STAMP_LABEL}\s*:?\s*|(?=\d{1,2}\/\d{1,2}\/\d{2,4}\s))(?:${STAMP_WORD}(?![a-z\d])\.?,?\s*)+)+`, "i");

/**
 * How long the publishing stamps in front of a sentence run (0 when there are none): they
 * must hold a date or a time, and what follows must start a sentence or be nothing.
 */
export function stampPrefixLength(sentence: string): number {
  const match = STAMP_PREFIX.exec(sentence);
  if (!match || !/\d/.test(match[0])) return 0;
  const rest = sentence.slice(match[0].length);
  return rest === "" || /^["'“‘(]?\p{Lu}/u.test(rest) ? match[0].length : 0;
}

/** A dateline or byline line: short, and a date, time stamp, byline or agency tag is what it says. */
export function isDateline(line: string): boolean {
  const text = line.trim();
  const words = wordCountUpTo(text, 16);
  if (words === 0 || words > 16) return false;
  if (/[.!?]["']?$/.test(text) && words > 8 && !BYLINE.test(text)) return false;
  return containsDate(text) || AGENCY_SLASHES.test(text) || BYLINE.test(text) || STAMP.test(text) || (words <= 6 && TIME_ONLY.test(text));
}

/** The agency named in a dateline: "/AJMEDIA/" → "AJMEDIA". */
export function agencyInDateline(line: string): string | null {
  return AGENCY_SLASHES.exec(line)?.[1]?.trim() ?? null;
}

/** Ends on an abbreviation's full stop ("… Banned From U.S."), which ends no sentence. */
export function endsWithAbbreviation(text: string): boolean {
  return /\b(?:U\.S|U\.K|Jr|Inc|Co)\.$/.test(text);
}

/** Headline shape: a few words, capitalized start, no sentence-final period. */
export function looksLikeHeadline(line: string): boolean {
  const text = line.trim();
  const words = wordCountUpTo(text, 30);
  if (words < 2 || words > 30) return false;
  if (!/^["'\u201C\u2018(]?[\p{Lu}\p{N}]/u.test(text)) return false;
  if (/[.,;:]$/.test(text) && !endsWithAbbreviation(text)) return false;
  return !/^https?:\/\//i.test(text);
}

/**
 * A headline written with full stops, alone on the page's first line: two or three short
 * sentences ("Senate Democrats pushed a vote. McConnell shot them down."), all in Headline
 * Case, or one sentence of 5 to 16 words over a paragraph (`next`) at least twice as long
 * ("YouTube suspends Rand Paul for a week over a video disputing the effectiveness of
 * masks."). A lead is one longer sentence, or attributed sentences, and a one-sentence lead
 * that short is followed by more of its kind; a headline pasted in front of its lead leaves a
 * sentence without a stop (clean takes those apart); a line in capitals is no Headline Case.
 */
export function looksLikeHeadlineOfSentences(line: string, next = ""): boolean {
  const text = line.trim();
  if (wordCountUpTo(text, 31) > 30 || !/^["'\u201C\u2018(]?[\p{Lu}\p{N}]/u.test(text)) return false;
  const sentences = splitSentences(text);
  // "…, firefighters said.": a lead's attribution (headlines say "says").
  if (!sentences.every(endsWithStop) || /\b(?:said|told)\b/i.test(text)) return false;
  if (/\p{Ll}/u.test(text) && isHeadlineCase(text, 0.9)) return true;
  if (sentences.length >= 2 && sentences.length <= 3 && sentences.every((sentence) => wordCountUpTo(sentence, 13) <= 12)) return true;
  const words = wordCountUpTo(text, 17);
  return sentences.length === 1 && words >= 5 && words <= 16 && wordCountUpTo(next, 2 * words) >= 2 * words;
}

/**
 * Leading dateline inside the first paragraph: "TOKYO –", "WASHINGTON (AP) —", "Mar 4, 2009",
 * an agency alone ("(CNN)The …"). Group 1 or 2 holds the agency in brackets. (Time stamps in
 * front of any sentence are clean's: see stampPrefixLength.)
 */
export const INLINE_DATELINE = new RegExp(
  String.raw`^(?:(?:\p{Lu}[\p{Lu}.'-]+(?:[ ,/]+\p{Lu}[\p{Lu}.'-]*){0,3}(?:,\s*\p{Lu}[\p{L}.]{1,12})?)\s*(?:\(([^)]{1,30})\))?\s*[-–—]{1,2}\s+|(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4})\s+(?=\p{Lu})|\(([^)]{1,30})\)\s*(?:[-–—]{1,2}\s*)?(?=\p{Lu}))`,
  "u",
);

// A section label opening a sentence ("Why it matters: …", "The big picture: …", "Reality
// check: …"): two or three words in sentence case before a colon, then a sentence. Not an
// attribution ("Police said: …", "He added: …"): no speech verb, no pronoun subject.
const SENTENCE_LABEL = /^\p{Lu}[\p{L}'’]*(?: \p{Ll}[\p{L}'’]*){1,2}:\s+(?=[\p{Lu}"“‘])/u;
const NOT_A_LABEL = /^(?:he|she|they|we|i|you|it)\b|\b(?:said|says|told|tells|added|adds|wrote|writes|stated|states|tweeted|noted|explained|replied|asked|declared|according)\b/i;

/** A sentence without the section label it opens with, when the rest is a sentence. */
export function withoutLabel(sentence: string): string {
  const label = SENTENCE_LABEL.exec(sentence);
  if (!label || NOT_A_LABEL.test(label[0])) return sentence;
  const rest = sentence.slice(label[0].length);
  return wordCountUpTo(rest, 4) >= 4 ? rest : sentence;
}
