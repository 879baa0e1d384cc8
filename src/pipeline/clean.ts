// Stage 2, clean: drop page furniture (navigation runs, rankings, social links, credits,
// captions, section labels), drop repeated paragraphs and sentences, split sentences, and settle a title:
// the headline when there is one, else a short clause made from the lead.
import { appendTo, grown, transpose } from "./collections";
import { copyrightHolder, isCaption, isCourtesyCredit, isDanglingLabel, isDateline, isPromoLine, isStampLine, isPunctuationOnly, isSectionMarker, isSocialLine, stampPrefixLength, withoutLabel } from "./signals";
import { isCalendarName, parseDate } from "./dates";
import { AUXILIARIES, IRREGULAR_PAST, bareWord, endsHeadlineCase, commonTermRank, contentTerms, contentTermsAndKeyHash, detached, endsWithStop, isHeadlineCase, isLongPastForm, isPastForm, letterDigitKey, splitSentences, startsLower, stem, STOPWORDS, wordCount, wordCountUpTo } from "./text";
import type { CleanArticle, IngestedArticle, Paragraph } from "./types";

export function clean(article: IngestedArticle): CleanArticle {
  const numbers = new TermNumbers();
  const { body, published } = bodySentences(article.paragraphs, article.published);
  let headline = article.headline && !isCaption(article.headline) ? article.headline : null;
  // A headline line that runs on into its deck ("Athens vigil ends in violence Violence
  // reignited in Athens following vigils …"): the deck opens the body.
  const deckAt = headline !== null && wordCountUpTo(headline, DECKED_HEADLINE_WORDS) >= DECKED_HEADLINE_WORDS ? retoldHeadlineCut(headline) : -1;
  if (deckAt > 0) {
    const { cut, rest } = headlineCut([headline!], deckAt);
    headline = cut;
    body.unshift({ text: rest.join(" "), sentences: rest });
  }
  if (headline === null && body.length > 0) {
    // Pasted in front of the lead: the whole first sentence, or the start the lead retells.
    const sentences = body[0].sentences;
    let at = isPastedHeadline(sentences) ? sentences[0].length : retoldHeadlineCut(sentences[0]);
    if (at < 0) at = headlineseCut(sentences[0]);
    if (at < 0) at = headlineCaseCut(sentences[0]);
    if (at > 0) {
      const { cut, rest } = headlineCut(sentences, at);
      headline = cut;
      body[0] = { text: rest.join(" "), sentences: rest };
    }
  }
  const analyzed = body.map(({ text, sentences }) => analyzeParagraph(text, sentences, numbers));
  let paragraphs = dropRepeatedSentences(dropRepeatedParagraphs(analyzed, numbers), numbers);
  // A headline-only page (a video page, a brief) is still a report of its event.
  if (article.paragraphs.length === 0 && headline) paragraphs = [[headline]];
  const title = headline ?? titleFromLead(paragraphs.flat()) ?? article.path.replace(/^.*\//, "").replace(/\.\w+$/, "");
  const own = (text: string | null): string | null => (text === null ? null : detached(text));
  // Each paragraph a string of its own: "joining" one sentence returns it, still a slice
  // keeping the scraped page alive; and text cut from a page with one character beyond
  // Latin-1 anywhere (a dash in a dropped credit line) is stored at two bytes a character,
  // where a fresh copy of plain text takes one (analysing 10,000 synthetic articles: 100 MB
  // held before, 87 MB after). Paragraph by paragraph, so one curly quote makes only its own
  // paragraph two bytes a character.
  const kept = keptBody(paragraphs, detached);
  // Every field named in one literal rather than spread from `article` with fields after it: in
  // Node's V8 such a spread gives every result a hidden class of its own (about 400 bytes each,
  // 4 MB at 10,000 articles).
  return {
    id: article.id,
    path: article.path,
    contentHash: article.contentHash,
    format: article.format,
    url: own(article.url),
    headline: own(headline),
    published,
    source: own(article.source),
    author: own(article.author),
    entered: article.entered,
    paragraphs: kept.paragraphs,
    title: detached(tidyTitle(title)),
    titleFromLead: headline === null,
    sentenceEnds: kept.sentenceEnds,
  };
}

/**
 * The body's paragraphs cut into sentences, without page furniture: furniture lines, and a
 * credit, a label or a time stamp left inside a paragraph ("… this morning. Courtesy of The
 * Woodburn Independent", "… into custody. UPDATE:", "… for help. PUBLISHED: THURSDAY, MAY 2,
 * 2013, 1:32 PM") or in front of a sentence ("UPDATED: FRIDAY, MAY 3, 2013, 9:56 AM Lindsay
 * Lohan checked into …"). A stamp or a date near the top, stamped or bare ("… a few hours
 * earlier. June 26, 2005"), dates the article when `published` is null; a bare date stays,
 * as the page printed it.
 */
function bodySentences(paragraphs: string[], published: string | null): { body: Paragraph[]; published: string | null } {
  const body = dropFurniture(paragraphs)
    .map((paragraph, index) => {
      const readDate = (text: string): void => {
        if (index < 2) published ??= parseDate(text);
      };
      const sentences = splitSentences(paragraph)
        .map((sentence) => {
          const stamp = stampPrefixLength(sentence);
          if (stamp > 0) readDate(sentence.slice(0, stamp));
          return withoutLabel(sentence.slice(stamp));
        })
        .filter((sentence) => {
          if (sentence === "") return false;
          if (isDateSentence(sentence)) {
            readDate(sentence);
            return !isStampLine(sentence);
          }
          return !isCourtesyCredit(sentence) && !isDanglingLabel(sentence);
        });
      return { text: sentences.join(" "), sentences };
    })
    .filter((paragraph) => paragraph.sentences.length > 0);
  return { body, published };
}

/** A dateline as a sentence of its own: no full stop ("June 26, 2005", "PUBLISHED: THURSDAY, MAY 2, 2013, 1:32 PM"). */
function isDateSentence(sentence: string): boolean {
  return !endsWithStop(sentence) && isShortDateline(sentence);
}

/** A dateline of ten words at most: what a line or sentence that only dates the page is. */
function isShortDateline(text: string): boolean {
  return wordCountUpTo(text, 10) <= 10 && isDateline(text);
}

/**
 * A page that lost the line break after its headline: the first sentence of the body ends
 * without a full stop although more of its paragraph follows, which only a headline pasted in
 * front of the lead does (splitSentences cuts there), and it is headline-sized.
 */
function isPastedHeadline(sentences: string[]): boolean {
  const first = sentences[0];
  if (sentences.length < 2 || endsWithStop(first)) return false;
  const words = wordCountUpTo(first, 21);
  return words >= 3 && words <= 20 && !isDateline(first) && !isCaption(first);
}

/** A headline cut from the first of `sentences` at character `at`, and the sentences left after it. */
function headlineCut(sentences: string[], at: number): { cut: string; rest: string[] } {
  const after = sentences[0].slice(at).trim();
  return { cut: sentences[0].slice(0, at).trimEnd(), rest: after ? [after, ...sentences.slice(1)] : sentences.slice(1) };
}

/** Content terms of a pasted headline the lead must retell, in number and as a share of the headline's. */
const RETOLD_TERMS = 3;
const RETOLD_SHARE = 0.5;
/** A headline line this long may have run on into its deck. */
const DECKED_HEADLINE_WORDS = 12;
/** Words of the lead a retelling is looked for in. */
const RETELLING_WORDS = 30;

/**
 * Where a headline was pasted in front of the lead with nothing to mark the join ("Rioters in
 * Greece attack police station, banks Rioting youths in the Greek capital attacked a police
 * station …"): before a capitalized word, after a word that can end a headline (not a function
 * word, no full stop), with a lower-case word after it, where the 3 to 15 words before it
 * are retold by the lead: RETOLD_TERMS of their content terms (and RETOLD_SHARE of them)
 * recur in the next RETELLING_WORDS words. A sentence rarely restates its own first words;
 * a lead restates its headline. The character index of the cut, or -1.
 */
function retoldHeadlineCut(sentence: string): number {
  const { words, joins } = headlineJoins(sentence, 15, 1);
  for (const k of joins) {
    const headlineTerms = new Set(contentTerms(sentence.slice(0, words[k].index)));
    if (headlineTerms.size < RETOLD_TERMS) continue;
    const windowEnd = words[Math.min(k + RETELLING_WORDS, words.length) - 1];
    const lead = new Set(contentTerms(sentence.slice(words[k].index, windowEnd.index + windowEnd[0].length)));
    let retold = 0;
    for (const term of headlineTerms) if (lead.has(term)) retold++;
    if (retold >= RETOLD_TERMS && retold >= RETOLD_SHARE * headlineTerms.size) return words[k].index!;
  }
  return -1;
}

/**
 * Where a headline pasted in front of its lead may end inside `sentence`, for the two cuts
 * around: the words (with their offsets), and each k (3 up to `maxWords`, with `after` words
 * after it) where word k is capitalized, the word after it starts lower-case, and the word
 * before it can end a headline (not a function word, no full stop or colon). None in Headline
 * Case, which capitalizes every word, so there a capital marks no join.
 */
function headlineJoins(sentence: string, maxWords: number, after: number): { words: RegExpExecArray[]; joins: number[] } {
  const words = [...sentence.matchAll(/\S+/g)];
  const joins: number[] = [];
  if (isHeadlineCase(sentence)) return { words, joins };
  for (let k = 3; k <= Math.min(maxWords, words.length - 1 - after); k++) {
    const before = words[k - 1][0];
    if (/^\p{Lu}/u.test(words[k][0]) && startsLower(words[k + 1][0]) && !/[.!?:;]$/.test(before) && !STOPWORDS.has(before.toLowerCase())) joins.push(k);
  }
  return { words, joins };
}

/** Words a headline in headlinese runs to at most, and in which the lead after it reaches its verb. */
const HEADLINESE_WORDS = 20;
const SUBJECT_WORDS = 7;

/**
 * Where a headline in headlinese was pasted in front of a lead that states ("Greece rocked by
 * more clashes over teenager's shooting Fresh riots were reported in Greece …", "… gunned down
 * at office holiday party Employees at a Vancouver wholesaler were coping …"), when the lead
 * does not retell it: before a word of a common English stem, capitalized mid-sentence after a
 * lower-case word that can end a headline, with a lower-case word after it, where the words
 * before state nothing the way prose does (no verb but a participle with its preposition:
 * "rocked by", "gunned down") and the words from it reach a verb within SUBJECT_WORDS. Prose
 * states something within its first words, and a capital after a lower-case word mid-sentence
 * is otherwise mostly a name. The character index of the cut, or -1.
 */
function headlineseCut(sentence: string): number {
  const { words: matches, joins } = headlineJoins(sentence, HEADLINESE_WORDS, 2);
  const words = matches.map((m) => m[0]);
  for (const k of joins) {
    const before = words[k - 1];
    if (!startsLower(before) || before.endsWith(",") || STOPWORDS.has(bareWord(before))) continue;
    const word = bareWord(words[k]);
    if (!/^\p{Lu}\p{Ll}/u.test(words[k]) || STOPWORDS.has(word) || isCalendarName(word) || commonTermRank(stem(word)) === undefined) continue;
    if (statesInProse(words, k)) return -1;
    const lead = words.slice(k, k + SUBJECT_WORDS + 1);
    // An "-s" word right after a capital is as likely a plural ("Fresh riots"): there only an auxiliary counts.
    const verbAt = (j: number): boolean =>
      isVerbLike(lead, j) && !isParticiplePhrase(lead, j) && (startsLower(lead[j - 1]) || AUXILIARIES.has(bareWord(lead[j])));
    if (lead.some((_, j) => j > 0 && verbAt(j))) return matches[k].index!;
  }
  return -1;
}

/**
 * Where a headline in Headline Case was pasted in front of a lead in sentence case that opens
 * with a common noun ("Palin's Church Damaged In Suspicious Fire Authorities estimate the
 * damages …"). splitSentences cuts such joins only at words that mostly open sentences ("The",
 * "It's"); here, in an untitled article's first sentence, the cut falls before the last
 * capitalized word of its capitalized start when that word is of a common English stem and a
 * lower-case word follows, the words before it are a Headline Case headline as splitSentences
 * reads one (endsHeadlineCase), and they hold a past form ("Damaged": a name with a function
 * word, "The University Of Texas Police Department said …", has none). The character index
 * of the cut, or -1.
 */
function headlineCaseCut(sentence: string): number {
  const words = [...sentence.matchAll(/\S+/g)];
  let lower = 0;
  while (lower < words.length && /^["'‘“]?[\p{Lu}\d]/u.test(words[lower][0])) lower++;
  const start = lower - 1; // the lead's first word
  if (start < 1 || lower === words.length || !startsLower(words[lower][0])) return -1;
  const head = words.slice(0, start).map((match) => match[0]);
  if (/[.!?:;,]$/.test(head[head.length - 1]) || !head.some((word) => isLongPastForm(bareWord(word)))) return -1;
  const starter = words[start][0];
  const bare = bareWord(starter);
  if (!/^\p{Lu}\p{Ll}+$/u.test(starter) || STOPWORDS.has(bare) || isCalendarName(bare) || commonTermRank(stem(bare)) === undefined) return -1;
  const at = words[start].index!;
  return endsHeadlineCase(head.join(" "), sentence.slice(at)) ? at : -1;
}

/** Whether words[k] is a participle with its preposition or particle ("rocked by", "gunned down"): headlinese for a passive, no verb of its own. */
function isParticiplePhrase(words: string[], k: number): boolean {
  const bare = bareWord(words[k]);
  const next = bareWord(words[k + 1] ?? "");
  return isPastForm(bare) && (PREPOSITIONS.has(next) || PARTICLES.has(next));
}

/** Whether words[0..cut) hold a verb the way prose does: one isVerbLike finds, that is not a participle with its preposition. */
function statesInProse(words: string[], cut: number): boolean {
  for (let k = 0; k < cut; k++) if (isVerbLike(words, k) && !isParticiplePhrase(words, k)) return true;
  return false;
}

// A list line: short and not a sentence (rankings, related-link titles, bullets).
function isListLine(line: string): boolean {
  if (/^[-–—•*·]\s+/.test(line)) return wordCountUpTo(line, 30) <= 30;
  return !endsWithTerminal(line) && wordCountUpTo(line, 20) <= 20;
}

/** `/[.!?]["'\u201D]?$/.test(line)`, reading only the last two characters. */
function endsWithTerminal(line: string): boolean {
  let end = line.length - 1;
  const last = line.charCodeAt(end);
  if (last === 0x22 || last === 0x27 || last === 0x201d) end--;
  const code = line.charCodeAt(end);
  return code === 0x2e || code === 0x21 || code === 0x3f;
}

function isFurniture(line: string): boolean {
  return (
    isPunctuationOnly(line) ||
    isSocialLine(line) ||
    copyrightHolder(line) !== undefined ||
    isCaption(line) ||
    isPromoLine(line) ||
    /^https?:\/\/\S+$/i.test(line) ||
    isShortDateline(line)
  );
}

/**
 * Remove furniture lines anywhere; a section marker ("Related Posts", "Most read") ends the
 * article body together with the list that follows it; runs of three or more list lines are
 * link lists wherever they stand.
 */
function dropFurniture(paragraphs: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < paragraphs.length; i++) {
    const line = paragraphs[i];
    if (isSectionMarker(line) && (i > 0 || paragraphs.length === 1)) {
      // Skip the marker and the list under it; resume only at real prose.
      let j = i + 1;
      while (j < paragraphs.length && (isListLine(paragraphs[j]) || isFurniture(paragraphs[j]) || isSectionMarker(paragraphs[j]))) j++;
      i = j - 1;
      continue;
    }
    if (isFurniture(line)) continue;
    out.push(line);
  }
  // Link lists without a marker: three or more list lines in a row.
  const result: string[] = [];
  for (let i = 0; i < out.length; ) {
    let j = i;
    while (j < out.length && isListLine(out[j])) j++;
    if (j - i >= 3) {
      i = j;
    } else {
      result.push(out[i]);
      i++;
    }
  }
  return result.map((line) => line.replace(/^[-–—•*·]\s+/, ""));
}

/**
 * Terms numbered within one article, so the repeat checks below count over small integers
 * (typed-array marks and counters) instead of hashing strings into sets.
 */
class TermNumbers {
  private readonly numbers = new Map<string, number>();
  // marks[n] === stamp: term n is in the list being built or compared. A new stamp clears
  // every mark at once.
  private marks = new Uint32Array(256);
  private stamp = 0;

  get size(): number {
    return this.numbers.size;
  }

  /** The distinct terms of a list, as numbers. */
  distinct(terms: string[]): number[] {
    const stamp = this.nextStamp();
    const out: number[] = [];
    for (const term of terms) {
      let n = this.numbers.get(term);
      if (n === undefined) {
        n = this.numbers.size;
        this.numbers.set(term, n);
        if (n >= this.marks.length) this.marks = grown(this.marks, this.marks.length * 2);
      }
      if (this.marks[n] !== stamp) {
        this.marks[n] = stamp;
        out.push(n);
      }
    }
    return out;
  }

  /** The distinct numbers of several lists together. */
  union(lists: number[][]): number[] {
    const stamp = this.nextStamp();
    const out: number[] = [];
    for (const list of lists) {
      for (const n of list) {
        if (this.marks[n] !== stamp) {
          this.marks[n] = stamp;
          out.push(n);
        }
      }
    }
    return out;
  }

  /** Share of `a`'s terms that `b` also has (both lists of distinct term numbers). */
  containment(a: number[], b: number[]): number {
    if (a.length === 0) return 0;
    const stamp = this.nextStamp();
    for (const n of b) this.marks[n] = stamp;
    let shared = 0;
    for (const n of a) if (this.marks[n] === stamp) shared++;
    return shared / a.length;
  }

  private nextStamp(): number {
    if (this.stamp === 0xffffffff) {
      this.marks.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }
}

/** A kept paragraph with what both repeat checks compare; terms numbered by TermNumbers. */
interface AnalyzedParagraph {
  sentences: string[];
  sentenceTerms: number[][];
  /** Per sentence, a hash of its letterDigitKey: equal for exact repeats. */
  sentenceKeyHashes: number[];
  terms: number[];
}

function analyzeParagraph(text: string, sentences: string[], numbers: TermNumbers): AnalyzedParagraph {
  const sentenceTerms: number[][] = [];
  const sentenceKeyHashes: number[] = [];
  for (const sentence of sentences) {
    const { terms, keyHash } = contentTermsAndKeyHash(sentence);
    sentenceTerms.push(numbers.distinct(terms));
    sentenceKeyHashes.push(keyHash);
  }
  // The sentences partition the paragraph at whitespace, so its terms are theirs together and
  // the text need not be tokenized again. U+FEFF is the one whitespace character that counts
  // as case-ignorable when lower-casing a final sigma, so there the paragraph is read whole.
  const terms = text.includes("\uFEFF") ? numbers.distinct(contentTerms(text)) : numbers.union(sentenceTerms);
  return { sentences, sentenceTerms, sentenceKeyHashes, terms };
}

// A short paragraph whose words a neighbour repeats (a teaser before the lead, a caption
// printed again as text) adds nothing: keep the fuller one.
function dropRepeatedParagraphs(paragraphs: AnalyzedParagraph[], numbers: TermNumbers): AnalyzedParagraph[] {
  const dropped = new Set<number>();
  for (let i = 0; i < paragraphs.length; i++) {
    const terms = paragraphs[i].terms;
    if (terms.length < 5) continue;
    for (const j of [i - 1, i + 1]) {
      if (j < 0 || j >= paragraphs.length || dropped.has(j)) continue;
      if (paragraphs[j].terms.length > terms.length && numbers.containment(terms, paragraphs[j].terms) >= 0.8) {
        dropped.add(i);
        break;
      }
    }
  }
  // Built with push rather than filter(): filter's results come in more than one array shape,
  // which kept deoptimizing the sentence pass that reads this list.
  const kept: AnalyzedParagraph[] = [];
  for (let i = 0; i < paragraphs.length; i++) if (!dropped.has(i)) kept.push(paragraphs[i]);
  return kept;
}

/** Exact and near repeats of a sentence anywhere in the article: the longer one stays. Returns each kept paragraph's kept sentences. */
function dropRepeatedSentences(paragraphs: AnalyzedParagraph[], numbers: TermNumbers): string[][] {
  // Sentences in reading order, so comparing indexes compares (paragraph, sentence) positions.
  const all = paragraphs.flatMap((paragraph) => paragraph.sentenceTerms);
  const dropped = new Uint8Array(all.length);
  // Exact repeats: same letters and digits. Equal keys have equal hashes, so a key is built
  // only for sentences whose hash an earlier sentence already had.
  const texts = paragraphs.flatMap((paragraph) => paragraph.sentences);
  const hashes = paragraphs.flatMap((paragraph) => paragraph.sentenceKeyHashes);
  const keys: string[] = [];
  const keyOf = (x: number): string => (keys[x] ??= letterDigitKey(texts[x]));
  const byHash = new Map<number, number[]>();
  for (let x = 0; x < texts.length; x++) {
    if (byHash.get(hashes[x])?.some((y) => keyOf(y) === keyOf(x))) dropped[x] = 1;
    appendTo(byHash, hashes[x], x);
  }
  // Near repeats: compare each sentence only with sentences sharing its rarer terms (an
  // inverted index), so a long article costs about linear time, not all pairs.
  // Postings as flat arrays (transpose of the sentence → term lists): an array per term per
  // article was most of what cleaning allocated.
  const sentenceStart = new Int32Array(all.length + 1);
  for (let x = 0; x < all.length; x++) sentenceStart[x + 1] = sentenceStart[x] + all[x].length;
  const sentenceTerms = new Int32Array(sentenceStart[all.length]);
  for (let x = 0; x < all.length; x++) sentenceTerms.set(all[x], sentenceStart[x]);
  const { start: postingStart, rows: postingSentences } = transpose(sentenceStart, sentenceTerms, null, numbers.size);
  const MAX_POSTINGS = 60;
  // Shared-term counts per candidate, reset after each sentence through `candidates`.
  const sharedCounts = new Int32Array(all.length);
  const candidates: number[] = [];
  for (let x = 0; x < all.length; x++) {
    const a = all[x];
    if (dropped[x] || a.length < 5) continue;
    // With no term skipped, a candidate's count is exactly how many of a's terms it has.
    let skipped = false;
    for (const n of a) {
      if (postingStart[n + 1] - postingStart[n] > MAX_POSTINGS) {
        skipped = true;
        continue;
      }
      for (let q = postingStart[n]; q < postingStart[n + 1]; q++) {
        const y = postingSentences[q];
        if (y !== x && sharedCounts[y]++ === 0) candidates.push(y);
      }
    }
    for (const y of candidates) {
      const b = all[y];
      if (sharedCounts[y] < a.length * 0.5 || dropped[y]) continue;
      const longer = b.length > a.length || (b.length === a.length && y < x);
      if (longer && (skipped ? numbers.containment(a, b) : sharedCounts[y] / a.length) >= 0.75) {
        dropped[x] = 1;
        break;
      }
    }
    for (const y of candidates) sharedCounts[y] = 0;
    candidates.length = 0;
  }
  const out: string[][] = [];
  let x = 0;
  for (const paragraph of paragraphs) {
    const sentences: string[] = [];
    for (const sentence of paragraph.sentences) if (!dropped[x++]) sentences.push(sentence);
    if (sentences.length > 0) out.push(sentences);
  }
  return out;
}

/**
 * The kept form of a body given as its paragraphs' sentences (none empty): each paragraph's
 * text, and where each of its sentences ends (CleanArticle). `own` is applied to each text.
 */
export function keptBody(given: readonly (readonly string[])[], own: (text: string) => string = (text) => text): Pick<CleanArticle, "paragraphs" | "sentenceEnds"> {
  // A paragraph without sentences would have no end to be found by (clean makes none; a
  // damaged index entry could hold one).
  const paragraphs = given.filter((sentences) => sentences.length > 0);
  // Sized up front: an array grown by push() keeps room for a dozen more.
  const sentenceEnds = new Array<number>(paragraphs.reduce((count, sentences) => count + sentences.length, 0));
  let e = 0;
  for (const sentences of paragraphs) {
    let at = 0;
    for (const sentence of sentences) {
      sentenceEnds[e++] = at += sentence.length;
      at++;
    }
  }
  return { paragraphs: paragraphs.map((sentences) => own(sentences.join(" "))), sentenceEnds };
}

/**
 * The sentences of paragraph `text`, whose ends start at sentenceEnds[e], pushed to `out`;
 * returns the index past its last end. Stops at the paragraph's length (a paragraph's last
 * sentence ends there) or where the ends run out.
 */
function cutSentences(text: string, sentenceEnds: readonly number[], e: number, out: string[], limit = Infinity): number {
  for (let start = 0; e < sentenceEnds.length && out.length < limit; ) {
    const end = sentenceEnds[e++];
    out.push(text.slice(start, end));
    if (end >= text.length) break;
    start = end + 1;
  }
  return e;
}

/** The sentences of a cleaned body in reading order (the first `limit`), cut from its paragraphs on each call. */
export function sentencesOf(article: Pick<CleanArticle, "paragraphs" | "sentenceEnds">, limit = Infinity): string[] {
  const sentences: string[] = [];
  let e = 0;
  for (const text of article.paragraphs) {
    if (sentences.length >= limit) break;
    e = cutSentences(text, article.sentenceEnds, e, sentences, limit);
  }
  return sentences;
}

/** A cleaned body's paragraphs with their sentences: fresh objects on each call, so read them once per pass. */
export function paragraphsOf(article: Pick<CleanArticle, "paragraphs" | "sentenceEnds">): Paragraph[] {
  let e = 0;
  return article.paragraphs.map((text) => {
    const sentences: string[] = [];
    e = cutSentences(text, article.sentenceEnds, e, sentences);
    return { text, sentences };
  });
}

const LEADING_CLAUSE = /^(?:in|after|before|as|with|amid|following|during|despite|while|although|when|once|since|because|now that|ahead of|according to|on|at|for|in an? [\w-]+ (?:move|bid|step|effort))\b[^,]{3,120},\s+/i;
/**
 * An aside between the subject and its verb, which a title does without (only where no verb
 * comes before it): between dashes ("A deputy — a father of two — died …"), a relative clause
 * between commas ("The party girl, who makes headlines for her antics, had checked into …"),
 * one a comma closes before the verb ("A former employee who opened fire at a party, has
 * been charged …"), or a noun phrase between commas right before the verb ("Bettie Page, the
 * pin-up model whose photographs titillated Americans, has died").
 */
const ASIDE =
  /\s[-–—]\s(?:(?!\s[-–—]\s).){1,100}?\s[-–—]\s|,\s+(?:who|whose|which)\s[^,]{1,120},\s+|\s(?:who|whose|which)\s[^,]{1,120},\s+(?=(?:has|have|had|was|were|is|are|will|would|may|might|could|can)\b)|,\s+(?:the|an?|one of|his|her|their|its)\s[^,]{1,150},\s+(?=\p{Ll}+\s)/u;
const TRAILING_CLAUSE = /,\s+(?:with|which|who|where|when|while|as|after|amid|including|according|but|and|saying|following|despite|officials|sources|a move|in a|in an|the)\b|\s[-–—]\s|;\s|:\s/i;
const PREPOSITIONS = new Set("on in at for from to with by after over about amid as during against into near before under".split(" "));
/** Words that open a second part of a sentence: a title can end just before them. */
const CLAUSE_OPENERS = new Set("when while because although though but and after before since until amid following despite including saying".split(" "));
/** Words that open a relative clause: often part of what the sentence says ("the man who killed four"), so only as good as a preposition. */
const RELATIVES = new Set("who whose which".split(" "));
/** Words that finish a verb rather than open a phrase ("broke | out", "killed | at least"): never a cut. */
const PARTICLES = new Set("out up down off".split(" "));
const DETERMINERS = new Set("a an the his her its their our my your this these those".split(" "));

/**
 * Whether a word reads as a verb: an auxiliary, a past form, or a lower-case "-s" word right
 * after a capitalized one ("Tara Reid checks into …"). Rough by design (a participle used as
 * an adjective counts): it only tells a title that states something from a bare noun phrase.
 */
function isVerbLike(words: string[], k: number): boolean {
  const word = words[k];
  if (!startsLower(word)) return false;
  const bare = bareWord(word);
  if (AUXILIARIES.has(bare)) return true;
  if (IRREGULAR_PAST.has(bare) || (/ed$/.test(bare) && bare.length > 3)) {
    // After a determiner, a participle is an adjective ("a (recently) dismissed employee").
    const before = k > 0 ? bareWord(words[k - 1]) : "";
    return !DETERMINERS.has(before) && !(/ly$/.test(before) && k > 1 && DETERMINERS.has(bareWord(words[k - 2])));
  }
  return /[^su]s$/.test(bare) && k > 0 && /^\p{Lu}/u.test(words[k - 1]);
}

/** Whether words[k] opens a relative clause: who, whose, which, or "that" before a verb ("a fire that caused …"). */
function opensRelative(words: string[], k: number): boolean {
  const bare = bareWord(words[k]);
  return RELATIVES.has(bare) || (bare === "that" && k + 1 < words.length && isVerbLike(words, k + 1));
}

/**
 * Whether words[0..cut) state something: a verb outside any relative clause, the verb
 * (with its auxiliaries) right after "who"/"which"/"that" belonging to that clause, and one joined to it by "and"
 * ("A former employee who opened fire and killed" states nothing yet; "One man is dead after
 * … a gunman who marched" does).
 */
function hasMainVerb(words: string[], cut: number): boolean {
  let relativeVerbPending = false;
  let inRelative = false;
  for (let k = 0; k < cut; k++) {
    if (opensRelative(words, k)) {
      relativeVerbPending = inRelative = true;
    } else if (isVerbLike(words, k)) {
      // "… that are scheduled" is one verb; "… who opened fire and killed one man" is still
      // the relative clause.
      const continues = (k > 0 && isVerbLike(words, k - 1)) || (inRelative && /^(?:and|or)$/i.test(words[k - 1]));
      if (!relativeVerbPending && !continues) return true;
      relativeVerbPending = false;
    }
  }
  return false;
}

/**
 * Whether words[k] is a participle opening a reduced relative clause after a noun ("an
 * election | meant to show", "an election | held after …"): a title cuts before it, never
 * right after it.
 */
function opensReducedRelative(words: string[], k: number): boolean {
  if (k < 1) return false;
  const bare = bareWord(words[k]);
  const before = bareWord(words[k - 1]);
  const next = (words[k + 1] ?? "").toLowerCase();
  return (
    isPastForm(bare) &&
    startsLower(words[k]) &&
    (next === "to" || PREPOSITIONS.has(next)) &&
    startsLower(words[k - 1]) &&
    !STOPWORDS.has(before) &&
    !/ly$/.test(before) && // an adverb: "has finally | decided" is the verb
    !isVerbLike(words, k - 1)
  );
}

/** A title holds this many words at most (a long headline's length), and a cut leaves at least TITLE_MIN_WORDS. */
const TITLE_MAX_WORDS = 14;
const TITLE_MIN_WORDS = 6;
/** Words a title may run over TITLE_MAX_WORDS to end a phrase where it would otherwise be cut mid-phrase. */
const TITLE_OVER_WORDS = 3;

/**
 * Whether a title may end on `words[0..cut)`: not on a word that needs what follows (an
 * article, a preposition, an auxiliary: the stopwords; an abbreviation like "Gov."), not on a
 * verb left without its object ("are counting", "tried to take", "killed | at least 36"), not
 * inside brackets or quotes.
 */
function endsWhole(words: string[], cut: number): boolean {
  const last = words[cut - 1];
  const bare = bareWord(last);
  const next = (words[cut] ?? "").toLowerCase();
  if (STOPWORDS.has(bare) || /\.$/.test(last)) return false;
  // Inside a name ("… candidate Sarah | Palin attends"): two capitalized words with nothing between.
  if (cut > 1 && /^\p{Lu}/u.test(last) && /^\p{Lu}/u.test(words[cut] ?? "") && /[\p{L}\p{N}]$/u.test(last)) return false;
  // A lower-case "-ing" word is mostly a verb ("are counting"); "Beijing" is not.
  if (/ing$/.test(bare) && bare.length >= 5 && startsLower(last)) return false;
  // A relative clause of its verb alone ("the blaze which began | on the roof", "elections
  // that are scheduled | for …"), a reduced one ("an election held | after …"), a clause
  // after "that" before its verb ("announced that the team | has relieved …").
  let verbStart = cut;
  while (verbStart > 0 && isVerbLike(words, verbStart - 1)) verbStart--;
  if (verbStart < cut && verbStart > 0 && opensRelative(words, verbStart - 1)) return false;
  if (opensReducedRelative(words, cut - 1)) return false;
  let that = cut - 1;
  while (that > 0 && bareWord(words[that]) !== "that") that--;
  if (that > 0 && isVerbLike(words, that - 1)) {
    let verb = that + 1;
    while (verb < cut && !isVerbLike(words, verb)) verb++;
    if (verb === cut) return false;
  }
  // A verb after "to" ("tried to take"; a plural or a name after it is a destination).
  if (words[cut - 2]?.toLowerCase() === "to" && startsLower(last) && !/s$/.test(bare)) return false;
  // A participle before "to", an article, a pronoun or a number opens what the verb needs
  // ("sentenced | to life", "caused | an estimated $1 million", "made | her a cult favourite").
  if (isPastForm(bare) && /^(?:to|a|an|the|his|her|its|their|him|them|one|two|three|four|five|six|seven|eight|nine|ten|\d.*)$/.test(next)) return false;
  if (PARTICLES.has(next) || (next === "at" && /^(?:least|most)$/i.test(words[cut + 1] ?? ""))) return false;
  const prefix = words.slice(0, cut);
  const joined = prefix.join(" ");
  const count = (pattern: RegExp): number => joined.match(pattern)?.length ?? 0;
  // Single quotes open at a word's start and close at its end (an apostrophe is inside a word);
  // one the sentence never closes is a stray mark, not a quotation to stay out of.
  const closesQuote = (w: string): boolean => /['\u2019][)\]"\u201D.,;:!?]*$/.test(w);
  const quoteOpens = prefix.filter((w) => /^[(["\u201C]*['\u2018]/.test(w)).length;
  const openQuote = quoteOpens > prefix.filter(closesQuote).length && words.slice(cut).some(closesQuote);
  return count(/[([]/g) === count(/[)\]]/g) && count(/["\u201C\u201D]/g) % 2 === 0 && !openQuote;
}

/**
 * Where to cut a clause too long for a title, keeping its main verb where it can (see
 * hasMainVerb) and running up to TITLE_OVER_WORDS over the limit to end a phrase rather than
 * cut one: before the last second part of the sentence that leaves a whole phrase ("… in a
 * mirror | and got a glimpse", "… destroyed | after a fire broke out"), else before the last
 * preposition or relative clause that does ("… captured 23 piracy suspects | who tried to
 * take …"), else before the last function word that does, else at the limit. A comma is no boundary: it also separates list items, "Wasilla, Alaska" and
 * "(52-3, 46 KOs)"; the commas that open a clause were cut at already (TRAILING_CLAUSE).
 */
function titleCut(words: string[]): number {
  const opensPart = (k: number): boolean => {
    const word = words[k].toLowerCase();
    if (/^[-\u2013\u2014]$/.test(word) || /[;:]$/.test(words[k - 1])) return true;
    // "and"/"but" open a second part before a verb; before a noun they join two things the
    // sentence is about ("Arts and Sciences", "Japan and the U.S.", "food and energy prices").
    if (word === "and" || word === "but") {
      const next = words[k + 1] ?? "";
      return startsLower(next) && (/(?:ed|ing)$/.test(bareWord(next)) || IRREGULAR_PAST.has(bareWord(next)));
    }
    return CLAUSE_OPENERS.has(word);
  };
  const opensPhrase = (k: number): boolean => PREPOSITIONS.has(words[k].toLowerCase()) || RELATIVES.has(words[k].toLowerCase()) || opensReducedRelative(words, k);
  // Else end a phrase before a function word ("… a police officer | and a state bomb …"), else anywhere it ends whole.
  const opensFunctionWord = (k: number): boolean => STOPWORDS.has(words[k].toLowerCase());
  // A title that states something (has its main verb) first; a few words over the limit to end
  // a phrase rather than cut one at the limit ("… crashed the office Christmas party | in
  // Vancouver", not "… Christmas"); only then any cut.
  const within = (k: number): boolean => k <= TITLE_MAX_WORDS;
  const over = (k: number): boolean => k > TITLE_MAX_WORDS;
  const tries: [(k: number) => boolean, boolean][] = [
    [(k) => within(k) && opensPart(k), true],
    [(k) => within(k) && opensPhrase(k), true],
    [(k) => within(k) && opensFunctionWord(k), true],
    [(k) => over(k) && (opensPhrase(k) || opensFunctionWord(k)) && !isVerbLike(words, k - 1), true],
    [(k) => within(k) && opensPart(k), false],
    [(k) => within(k) && opensPhrase(k), false],
    [(k) => within(k) && opensFunctionWord(k), false],
    [within, false],
  ];
  // Longest first within the limit, shortest first over it.
  const order = [
    ...Array.from({ length: TITLE_MAX_WORDS - TITLE_MIN_WORDS + 1 }, (_, i) => TITLE_MAX_WORDS - i),
    ...Array.from({ length: TITLE_OVER_WORDS }, (_, i) => TITLE_MAX_WORDS + 1 + i),
  ].filter((k) => k < words.length);
  for (const [isBoundary, needsVerb] of tries) {
    for (const k of order) if (isBoundary(k) && endsWhole(words, k) && (!needsVerb || hasMainVerb(words, k))) return k;
  }
  // A quotation that runs past the limit: a few words more, to its end, rather than half of it.
  for (let k = TITLE_MAX_WORDS + 1; k < Math.min(TITLE_MAX_WORDS + 5, words.length); k++) if (endsWhole(words, k)) return k;
  let cut = TITLE_MAX_WORDS;
  while (cut > 4 && STOPWORDS.has(words[cut - 1].toLowerCase())) cut--;
  return cut;
}

/** A headline-length clause from the first proper sentence of the lead (the body's sentences in reading order). */
export function titleFromLead(sentences: string[]): string | null {
  const lead = sentences.find((s) => wordCount(s) >= 6 && !/^["'\u201C\u2018]/.test(s));
  if (!lead) return null;
  let clause = lead.replace(/[.!?]+["'\u201D]?$/, "");
  const leading = LEADING_CLAUSE.exec(clause);
  if (leading && wordCount(clause.slice(leading[0].length)) >= 6) clause = clause.slice(leading[0].length);
  clause = clause.replace(ASIDE, (aside, at: number) => {
    const before = clause.slice(0, at).split(/\s+/);
    // A bare pair of commas is an aside only before the verb it held apart from its subject
    // ("Bettie Page, the pin-up model …, has died"), not around a list item or a place.
    const after = clause.slice(at + aside.length).split(/\s+/, 1);
    const holdsApart = !aside.startsWith(",") || /^,\s+(?:who|whose|which)\s/.test(aside) || isVerbLike(after, 0);
    return holdsApart && !hasMainVerb(before, before.length) ? " " : aside;
  });
  const trailing = TRAILING_CLAUSE.exec(clause);
  if (trailing && wordCount(clause.slice(0, trailing.index)) >= 5) clause = clause.slice(0, trailing.index);
  // An aside in brackets ("Klitschko (52-3, 46 KOs) stopped …") is the first thing a long title can lose.
  if (wordCount(clause) > TITLE_MAX_WORDS) clause = clause.replace(/\s*\([^()]*\)|\s*\[[^[\]]*\]/g, "");
  const words = clause.split(/\s+/);
  if (words.length > TITLE_MAX_WORDS) clause = words.slice(0, titleCut(words)).join(" ");
  clause = clause.replace(/[,;:\s]+$/, "");
  return clause.charAt(0).toUpperCase() + clause.slice(1);
}

/**
 * A kicker in front of a headline ("BREAKING: …", "Breaking News-Three people shot …", "WATCH |
 * …", "Update — …"): page furniture that says how the page was sold, not what happened. Behind
 * a colon, a spaced dash or bar; "Breaking News" also behind a bare dash before a capital.
 * Section and source labels ("OPINION:", "Report:", "Lawyer:") say something and stay.
 */
const HEADLINE_KICKER = /^(?:(?:breaking(?: news)?|update[ds]?|exclusive|watch|video|photos?|live|just in|developing)\s*(?::|\s[-–—|]\s)|breaking(?: news)?[-–—](?=\p{Lu}))\s*(?=\S)/iu;

function tidyTitle(title: string): string {
  const tidy = title.replace(/\s+/g, " ").replace(/^[-–—•*\s]+/, "").trim();
  const kicker = HEADLINE_KICKER.exec(tidy);
  if (!kicker || wordCount(tidy.slice(kicker[0].length)) < 3) return tidy;
  const rest = tidy.slice(kicker[0].length);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}
