// Stage 2, clean: drop page furniture (navigation runs, rankings, social links, credits,
// captions), drop repeated paragraphs and sentences, split sentences, and settle a title:
// the headline when there is one, else a short clause made from the lead.
import { appendTo } from "./collections";
import { copyrightHolder, isCaption, isDateline, isPunctuationOnly, isSectionMarker, isSocialLine } from "./signals";
import { contentTerms, normalizeText, splitSentences, STOPWORDS, wordCount } from "./text";
import type { CleanArticle, IngestedArticle, Paragraph } from "./types";

export function clean(article: IngestedArticle): CleanArticle {
  const kept = dropRepeatedParagraphs(dropFurniture(article.paragraphs));
  let paragraphs = dropRepeatedSentences(kept.map((text) => ({ text, sentences: splitSentences(text) })));
  // A headline-only page (a video page, a brief) is still a report of its event.
  if (paragraphs.length === 0 && article.paragraphs.length === 0 && article.headline && !isCaption(article.headline)) {
    paragraphs = [{ text: article.headline, sentences: [article.headline] }];
  }
  const headline = article.headline && !isCaption(article.headline) ? article.headline : null;
  const title = headline ?? titleFromLead(paragraphs) ?? article.path.replace(/^.*\//, "").replace(/\.\w+$/, "");
  const sentenceCount = article.paragraphs.reduce((n, p) => n + splitSentences(p).length, 0);
  return {
    ...article,
    headline,
    title: tidyTitle(title),
    titleFromLead: headline === null,
    paragraphs,
    removed: sentenceCount - paragraphs.reduce((n, p) => n + p.sentences.length, 0),
  };
}

// A list line: short and not a sentence (rankings, related-link titles, bullets).
function isListLine(line: string): boolean {
  const words = wordCount(line);
  if (/^[-–—•*·]\s+/.test(line)) return words <= 30;
  return words <= 20 && !/[.!?]["'\u201D]?$/.test(line);
}

function isFurniture(line: string): boolean {
  return (
    isPunctuationOnly(line) ||
    isSocialLine(line) ||
    copyrightHolder(line) !== undefined ||
    isCaption(line) ||
    /^https?:\/\/\S+$/i.test(line) ||
    (isDateline(line) && wordCount(line) <= 10)
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

function termSet(text: string): Set<string> {
  return new Set(contentTerms(text));
}

/** Share of `a`'s terms that `b` also has. */
export function containment(a: Set<string>, b: Set<string>): number {
  if (a.size === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / a.size;
}

// A short paragraph whose words a neighbour repeats (a teaser before the lead, a caption
// printed again as text) adds nothing: keep the fuller one.
function dropRepeatedParagraphs(paragraphs: string[]): string[] {
  const terms = paragraphs.map(termSet);
  const dropped = new Set<number>();
  for (let i = 0; i < paragraphs.length; i++) {
    if (terms[i].size < 5) continue;
    for (const j of [i - 1, i + 1]) {
      if (j < 0 || j >= paragraphs.length || dropped.has(j)) continue;
      if (terms[j].size > terms[i].size && containment(terms[i], terms[j]) >= 0.8) {
        dropped.add(i);
        break;
      }
    }
  }
  return paragraphs.filter((_, i) => !dropped.has(i));
}

/** Exact and near repeats of a sentence anywhere in the article: the longer one stays. */
function dropRepeatedSentences(paragraphs: Paragraph[]): Paragraph[] {
  const all: { p: number; s: number; key: string; terms: Set<string> }[] = [];
  paragraphs.forEach((paragraph, p) =>
    paragraph.sentences.forEach((sentence, s) =>
      all.push({ p, s, key: normalizeText(sentence).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim(), terms: termSet(sentence) }),
    ),
  );
  const dropped = new Set<string>();
  const seen = new Set<string>();
  for (const item of all) {
    if (seen.has(item.key)) dropped.add(`${item.p}:${item.s}`);
    seen.add(item.key);
  }
  // Near repeats: compare each sentence only with sentences sharing its rarer terms (an
  // inverted index), so a long article costs about linear time, not all pairs.
  const postings = new Map<string, number[]>();
  all.forEach((item, index) => {
    for (const term of item.terms) {
      appendTo(postings, term, index);
    }
  });
  const MAX_POSTINGS = 60;
  for (let x = 0; x < all.length; x++) {
    const a = all[x];
    if (dropped.has(`${a.p}:${a.s}`) || a.terms.size < 5) continue;
    const shared = new Map<number, number>();
    for (const term of a.terms) {
      const list = postings.get(term)!;
      if (list.length > MAX_POSTINGS) continue;
      for (const y of list) if (y !== x) shared.set(y, (shared.get(y) ?? 0) + 1);
    }
    for (const [y, count] of shared) {
      const b = all[y];
      if (count < a.terms.size * 0.5 || dropped.has(`${b.p}:${b.s}`)) continue;
      const longer = b.terms.size > a.terms.size || (b.terms.size === a.terms.size && (b.p < a.p || (b.p === a.p && b.s < a.s)));
      if (longer && containment(a.terms, b.terms) >= 0.75) {
        dropped.add(`${a.p}:${a.s}`);
        break;
      }
    }
  }
  return paragraphs
    .map((paragraph, p) => {
      const sentences = paragraph.sentences.filter((_, s) => !dropped.has(`${p}:${s}`));
      return { text: sentences.join(" "), sentences };
    })
    .filter((paragraph) => paragraph.sentences.length > 0);
}

const LEADING_CLAUSE = /^(?:in|after|before|as|with|amid|following|during|despite|while|although|ahead of|according to|on|at|for|in an? [\w-]+ (?:move|bid|step|effort))\b[^,]{3,120},\s+/i;
const TRAILING_CLAUSE = /,\s+(?:with|which|who|where|when|while|as|after|amid|including|according|but|and|saying|following|despite|officials|sources|a move|in a|in an|the)\b|\s[-–—]\s|;\s|:\s/i;
const PREPOSITIONS = new Set("on in at for from to with by after over about amid as during against into near before under".split(" "));

/** A headline-length clause from the first proper sentence of the lead. */
export function titleFromLead(paragraphs: Paragraph[]): string | null {
  const lead = paragraphs.flatMap((p) => p.sentences).find((s) => wordCount(s) >= 6 && !/^["'\u201C\u2018]/.test(s));
  if (!lead) return null;
  let clause = lead.replace(/[.!?]+["'\u201D]?$/, "");
  const leading = LEADING_CLAUSE.exec(clause);
  if (leading && wordCount(clause.slice(leading[0].length)) >= 6) clause = clause.slice(leading[0].length);
  const trailing = TRAILING_CLAUSE.exec(clause);
  if (trailing && wordCount(clause.slice(0, trailing.index)) >= 5) clause = clause.slice(0, trailing.index);
  const words = clause.split(/\s+/);
  if (words.length > 14) {
    // Cut before a preposition so the title ends on a whole phrase, never mid-phrase.
    let cut = 14;
    for (let k = 14; k >= 6; k--) {
      if (PREPOSITIONS.has(words[k]?.toLowerCase())) {
        cut = k;
        break;
      }
    }
    while (cut > 4 && STOPWORDS.has(words[cut - 1].toLowerCase())) cut--;
    clause = words.slice(0, cut).join(" ");
  }
  clause = clause.replace(/[,;:\s]+$/, "");
  return clause.charAt(0).toUpperCase() + clause.slice(1);
}

function tidyTitle(title: string): string {
  return title.replace(/\s+/g, " ").replace(/^[-–—•*\s]+/, "").trim();
}
