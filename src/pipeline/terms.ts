// Stage 4, terms: every original article's sentences read once into content-term ids, with
// how often each article uses each term, and the term ids of its lead. Clustering (stage 5)
// builds its term vectors from this reading, so it does not tokenize the body again; summaries
// (stage 6) share its term ids.
import { IntBuffer, NarrowBuffer, type CountArray } from "./collections";
import { sentencesOf } from "./clean";
import { contentTerms } from "./text";
import type { DedupedArticle } from "./types";

/**
 * Leading sentences whose term ids are kept per article: the lead, which clustering weighs up.
 * Summaries read further sentences and tokenize those themselves, for the stories they
 * summarize (keeping twelve sentences a source held 5.5 MB more at 10,000 articles, through
 * the clustering).
 */
export const LEAD_SENTENCES = 2;

/**
 * The corpus's terms as read by termStats: an id per term, the term ids of every article's
 * leading sentences, and each article's distinct body terms with how often it uses each
 * (about 10 MB for 10,000 articles), which term vectors and story titles are made from.
 */
export interface TermStats {
  ids: Map<string, number>;
  /** By term id: the term. */
  terms: string[];
  leads: Map<DedupedArticle, Lead>;
  /** Every kept sentence's term ids, one sentence after another (see Lead). */
  leadTerms: Int32Array;
  /** Where each kept sentence's terms start in leadTerms, and one past the last sentence's end. */
  leadBounds: Int32Array;
  /** Every article's distinct body term ids in order of first use, one article after another (see Lead). */
  bodyTerms: Int32Array;
  /** How many times the article uses each of its bodyTerms, in the narrowest array that holds every count (nearly always bytes). */
  bodyCounts: CountArray;
  /** Scratch for summarize: term id → story-local id, -1 outside the story being summarized. */
  local: Int32Array;
}

/**
 * Where the term ids of an article's first sentences (in reading order across paragraphs) are
 * kept: its sentence s has leadTerms[leadBounds[first + s]] up to leadTerms[leadBounds[first
 * + s + 1]], for the first LEAD_SENTENCES sentences (fewer when it has fewer).
 */
export interface Lead {
  first: number;
  sentences: number;
  /** The article's distinct body terms are bodyTerms[bodyStart] up to bodyTerms[bodyEnd]. */
  bodyStart: number;
  bodyEnd: number;
}

/**
 * The articles that are not copies of another in the set, by position: the ones whose words
 * count (a copy's are its original's). A copy whose original is missing counts as an original.
 */
export function originalIndexes(articles: DedupedArticle[]): number[] {
  const ids = new Set(articles.map((article) => article.id));
  return articles.map((_, i) => i).filter((i) => articles[i].duplicateOf === null || !ids.has(articles[i].duplicateOf!));
}

export function termStats(articles: DedupedArticle[]): TermStats {
  const ids = new Map<string, number>();
  const terms: string[] = [];
  const lastDocument: number[] = []; // counts a term once per article without a Set per article
  const lastSlot: number[] = []; // where the term sits in bodyTerms for the article that last used it
  let documents = 0;
  const count = (term: string): number => {
    let id = ids.get(term);
    if (id === undefined) {
      id = ids.size;
      ids.set(term, id);
      terms.push(term);
      lastDocument.push(0);
      lastSlot.push(0);
    }
    if (lastDocument[id] !== documents) {
      lastDocument[id] = documents;
      lastSlot[id] = bodyTerms.length;
      bodyTerms.push(id);
      bodyCounts.push(1);
    } else bodyCounts.set(lastSlot[id], bodyCounts.get(lastSlot[id]) + 1);
    return id;
  };
  const leads = new Map<DedupedArticle, Lead>();
  const leadTerms = new IntBuffer();
  const leadBounds = new IntBuffer();
  const bodyTerms = new IntBuffer();
  const bodyCounts = new NarrowBuffer();
  for (const i of originalIndexes(articles)) {
    const article = articles[i];
    documents++;
    const bodyStart = bodyTerms.length;
    const first = leadBounds.length;
    leadBounds.push(leadTerms.length);
    let position = 0;
    // Sentence by sentence even past the kept ones: the same terms as the paragraphs', but
    // plain-ASCII sentences take contentTerms's fast path, which one apostrophe anywhere in a
    // paragraph would lose for all of it.
    for (const sentence of sentencesOf(article)) {
      const sentenceTerms = contentTerms(sentence);
      if (position++ >= LEAD_SENTENCES) {
        for (const term of sentenceTerms) count(term);
        continue;
      }
      for (const term of sentenceTerms) leadTerms.push(count(term));
      leadBounds.push(leadTerms.length);
    }
    leads.set(article, { first, sentences: leadBounds.length - first - 1, bodyStart, bodyEnd: bodyTerms.length });
  }
  return {
    ids,
    terms,
    leads,
    leadTerms: leadTerms.toArray(),
    leadBounds: leadBounds.toArray(),
    bodyTerms: bodyTerms.toArray(),
    bodyCounts: bodyCounts.toArray(),
    local: new Int32Array(ids.size).fill(-1),
  };
}

/** An article's distinct body term ids as termStats read them, or null when it did not (a copy). */
export function bodyTermIds(stats: TermStats, article: DedupedArticle): Int32Array | null {
  const lead = stats.leads.get(article);
  return lead ? stats.bodyTerms.subarray(lead.bodyStart, lead.bodyEnd) : null;
}
