// Stage 6, summarize: a multi-document extractive summary per story. Sentences (the first few
// of each source, so work stays bounded) are scored by centrality (LexRank), cross-source
// support and lead position, filtered for self-containedness, and chosen greedily (MMR plus
// coverage of what most sources agree on, and the calendar day they agree on) under a word
// budget, never two that state the same fact. Each chosen sentence lists every article that
// states it; copies state what their original states. A summary depends on its story's
// articles alone (terms are weighted by English word frequency and by the story's own sources,
// never by the rest of the corpus), so articles arriving in other stories leave it as it is.
//
// Speed: every build summarizes every story, so the work is kept near linear. termStats
// (terms.ts) keeps the term ids of each article's lead, which summarize takes instead of
// tokenizing it again (it tokenizes the later sentences it reads); it fills cosines a whole
// row at a time from an inverted index (term → sentences using it) instead of pair by pair
// over maps. Each cosine is still summed in the order of the plain pairwise definition (see
// cosinesWith), so the speed-ups cannot flip a near-tie.
import { appendTo, grown, transpose } from "./collections";
import { originalIndexes, type TermStats } from "./terms";
import { sentencesOf } from "./clean";
import { calendarDays } from "./dates";
import { isCaption } from "./signals";
import { commonTermRank, contentTerms, wordCount } from "./text";
import type { DedupedArticle, SummarySentence } from "./types";

interface SummaryOptions {
  /** Fewer words only when the story has nothing more to say. */
  minWords: number;
  /** Stop adding sentences once this is reached (human digest blurbs run ~55 words). */
  targetWords: number;
  /** Hard cap, except that a single first sentence may run longer (and see SLACK_WORDS, BIG_STORY_SOURCES). */
  maxWords: number;
  maxSentences: number;
}

const DEFAULT_SUMMARY_OPTIONS: SummaryOptions = { minWords: 40, targetWords: 50, maxWords: 80, maxSentences: 4 };

// Tuned on NeuS validation (three outlets per story, human reference summaries) with gold and
// predicted clusters; the optimum is flat, so these are round values, not fitted ones.
/** Cosine between two sentences' term vectors at which they state the same fact. */
const REDUNDANT = 0.3;
/** Cosine at which two sentences are linked in the LexRank graph. */
const LEXRANK_FLOOR = 0.1;
/** Weight of term coverage next to the centrality/support/lead score. */
const COVERAGE_WEIGHT = 0.2;
/**
 * Bonus, past the first sentence, for stating a calendar day that two or more sources print
 * and the summary does not state yet. The size of the whole coverage term: a dated sentence
 * beats one that is merely more central or earlier in its article, not one that says far more.
 */
const DATE_BONUS = 0.2;
/** Extra words allowed only when the word cap would leave the summary under two sentences or minWords. */
const SLACK_WORDS = 10;
/**
 * A story this many sources or more tell has more that they agree on than two sentences hold
 * (NeuS gives three outlets a story; the seed corpus five): it may run 2 × SLACK_WORDS over
 * the cap for one more sentence, but only for one whose coverage gain is still at least
 * BIG_STORY_GAIN of the best first sentence's. A restatement of a chosen sentence, or a
 * generic one, covers little anew and gets no room.
 */
const BIG_STORY_SOURCES = 4;
const BIG_STORY_GAIN = 0.3;
const CANDIDATE_BUDGET = 240;
const MIN_PER_ARTICLE = 3;
/** Sentences read of one source at most (news puts what matters first). */
const MAX_PER_ARTICLE = 12;

interface Candidate {
  text: string;
  article: number;
  position: number;
  /** Content terms in text order, as story term ids (see Vocabulary). */
  tokens: number[];
}

// Openings that lean on an earlier sentence: pronouns, demonstratives, and connectives that
// continue an argument ("Instead", "As a result", "In addition").
const OPENS_WITH_REFERENCE =
  /^(?:he|she|they|it|this|that|these|those|his|her|their|its|him|them|but|and|or|so|also|however|meanwhile|still|yet|then|there|here|such|the two|both|instead|as a (?:result|substitute|consequence)|in addition|additionally|moreover|furthermore|besides|likewise|similarly|otherwise|therefore|thus|hence|nevertheless|nonetheless|for (?:example|instance)|in (?:turn|contrast|response)|by contrast|even so|that's|it's)\b/i;
// A short opening phrase, then a pronoun subject: "On Monday, he said", "As a substitute, that authority".
const REFERENCE_AFTER_OPENER = /^[^,]{1,30},\s+(?:he|she|they|it|this|that|these|those|his|her|their|its)\b/i;

/** Can a reader understand this sentence (of `words` words) without its neighbours? */
function selfContained(sentence: string, words: number): boolean {
  if (words < 8 || words > 55) return false;
  if (!/[.!]["'\u201D\u2019)]?$/.test(sentence)) return false; // headlines, questions, fragments
  if (/^["'\u201C\u2018\u2014-]/.test(sentence)) return false; // opens inside a quote
  if (OPENS_WITH_REFERENCE.test(sentence) || REFERENCE_AFTER_OPENER.test(sentence)) return false;
  // An imperative to the reader ("Watch the full interview (video).", "Read more about …") points at another page
  // ("Follow-up tests showed …" opens with a noun).
  if (/^(?:watch|listen|read|see|click|tap|sign up|subscribe|follow)(?![\w-])/i.test(sentence)) return false;
  if (isCaption(sentence)) return false;
  const quoted = sentence.match(/["\u201C][^"\u201D]*["\u201D]/g) ?? [];
  const quotedWords = quoted.reduce((n, q) => n + wordCount(q), 0);
  if (quotedWords > words * 0.4) return false;
  if ((sentence.match(/["\u201C\u201D]/g) ?? []).length % 2 === 1) return false;
  // A bracket left open: the sentence was cut off inside it ("… led by Jamie B. Raskin (D-Md.").
  if ((sentence.match(/\(/g) ?? []).length !== (sentence.match(/\)/g) ?? []).length) return false;
  return true;
}

/** Rank given to a term outside the common-word list: as specific as a word can be. */
const RARE_TERM_RANK = 50_000;
/** How much a term's share of the story's sources lowers its weight in sentence vectors (see summarizeWith). */
const STORY_IDF_SHARE = 0.5;

/** A story's terms as small integer ids, so per-term data sits in arrays, not maps. */
class Vocabulary {
  /** By story term id: the term's specificity, and whether it is a word outside the common-word list. */
  readonly specificity: number[] = [];
  readonly uncommon: boolean[] = [];
  /** Corpus ids given story ids, to clear the stats' scratch after the story. */
  private readonly corpusIds: number[] = [];
  /** Terms termStats did not read (a duplicate's own words). */
  private readonly unindexed = new Map<string, number>();

  constructor(private readonly stats: TermStats) {}

  get size(): number {
    return this.specificity.length;
  }

  /**
   * Story ids of the terms of an article's sentence (by reading order), when termStats kept
   * them; else undefined.
   */
  keptTerms(article: DedupedArticle, sentence: number): number[] | undefined {
    const { stats } = this;
    const lead = stats.leads.get(article);
    if (!lead || sentence >= lead.sentences) return undefined;
    const ids: number[] = [];
    const bound = lead.first + sentence;
    for (let p = stats.leadBounds[bound]; p < stats.leadBounds[bound + 1]; p++) ids.push(this.fromCorpus(stats.leadTerms[p]));
    return ids;
  }

  private fromCorpus(corpusId: number): number {
    const { stats } = this;
    let id = stats.local[corpusId];
    if (id < 0) {
      id = this.add(stats.terms[corpusId]);
      stats.local[corpusId] = id;
      this.corpusIds.push(corpusId);
    }
    return id;
  }

  /**
   * A term's specificity comes from its rank among the most frequent English words, not from
   * how many corpus articles use it, so a story's summary depends on its own articles alone
   * and stays as it is when articles arrive in other stories.
   */
  private add(term: string): number {
    const rank = commonTermRank(term);
    this.specificity.push(1 + Math.log(1 + (rank ?? RARE_TERM_RANK) / 100));
    this.uncommon.push(rank === undefined);
    return this.specificity.length - 1;
  }

  id(term: string): number {
    const corpusId = this.stats.ids.get(term);
    if (corpusId !== undefined) return this.fromCorpus(corpusId);
    let id = this.unindexed.get(term);
    if (id === undefined) {
      id = this.add(term);
      this.unindexed.set(term, id);
    }
    return id;
  }

  /** The story id of a term, without adding it. */
  find(term: string): number | undefined {
    const corpusId = this.stats.ids.get(term);
    if (corpusId === undefined) return this.unindexed.get(term);
    const id = this.stats.local[corpusId];
    return id < 0 ? undefined : id;
  }

  /** Leave the stats' scratch clean for the next story. */
  release(): void {
    for (const corpusId of this.corpusIds) this.stats.local[corpusId] = -1;
  }
}

/**
 * The candidates' term vectors (term frequency × term weight) in flat arrays: candidate i's
 * distinct terms, in order of first use, and their unit-length weights sit at offsets
 * start[i] to start[i + 1]. The postings give, for each term, the candidates using it and
 * their weight for it.
 */
interface Vectors {
  start: Int32Array;
  terms: Int32Array;
  weights: Float64Array;
  postingStart: Int32Array;
  postingCandidate: Int32Array;
  postingWeight: Float64Array;
}

function sentenceVectors(candidates: Candidate[], termWeights: Float64Array): Vectors {
  const n = candidates.length;
  const capacity = candidates.reduce((sum, c) => sum + c.tokens.length, 0);
  const start = new Int32Array(n + 1);
  const terms = new Int32Array(capacity);
  const weights = new Float64Array(capacity);
  const tf = new Int32Array(termWeights.length);
  let end = 0;
  for (let i = 0; i < n; i++) {
    start[i] = end;
    for (const term of candidates[i].tokens) if (tf[term]++ === 0) terms[end++] = term;
    let norm = 0;
    for (let p = start[i]; p < end; p++) {
      const weight = tf[terms[p]] * termWeights[terms[p]];
      weights[p] = weight;
      norm += weight * weight;
      tf[terms[p]] = 0;
    }
    norm = Math.sqrt(norm) || 1;
    for (let p = start[i]; p < end; p++) weights[p] /= norm;
  }
  start[n] = end;
  const { start: postingStart, rows: postingCandidate, weights: postingWeight } = transpose(start, terms, weights, termWeights.length);
  return { start, terms: terms.subarray(0, end), weights: weights.subarray(0, end), postingStart, postingCandidate, postingWeight };
}

/** Working arrays for cosinesWith; `forward` and `backward` hold its results until the next call. */
interface Scratch {
  forward: Float64Array;
  backward: Float64Array;
  shared: Int32Array;
  dense: Float64Array;
}

/**
 * cosine(x, k) into forward[k] and cosine(k, x) into backward[k], for every candidate k.
 * The pairwise definition sums the products of shared terms in the term order of the vector
 * with fewer terms (the second one on a tie), and floating-point sums depend on order, so the
 * two directions can differ in the last bit and each is kept. One pass over x's postings sums
 * every entry in x's order; entries owed k's order and with three or more shared terms are
 * summed again in that order (one or two products sum the same either way). Terms only one
 * vector has add zero, which changes no sum, so skipping them is exact.
 */
function cosinesWith(vectors: Vectors, x: number, scratch: Scratch): void {
  const { start, terms, weights, postingStart, postingCandidate, postingWeight } = vectors;
  const { forward, backward, shared, dense } = scratch;
  const n = start.length - 1;
  forward.fill(0);
  shared.fill(0);
  for (let p = start[x]; p < start[x + 1]; p++) {
    const weight = weights[p];
    for (let q = postingStart[terms[p]]; q < postingStart[terms[p] + 1]; q++) {
      forward[postingCandidate[q]] += weight * postingWeight[q];
      shared[postingCandidate[q]]++;
    }
  }
  const size = start[x + 1] - start[x];
  for (let p = start[x]; p < start[x + 1]; p++) dense[terms[p]] = weights[p];
  for (let k = 0; k < n; k++) {
    const inOrderOfX = forward[k];
    const sizeOfK = start[k + 1] - start[k];
    let inOrderOfK = inOrderOfX;
    if (shared[k] > 2 && sizeOfK <= size) {
      inOrderOfK = 0;
      for (let p = start[k]; p < start[k + 1]; p++) inOrderOfK += weights[p] * dense[terms[p]];
    }
    forward[k] = size < sizeOfK ? inOrderOfX : inOrderOfK;
    backward[k] = sizeOfK < size ? inOrderOfK : inOrderOfX;
  }
  for (let p = start[x]; p < start[x + 1]; p++) dense[terms[p]] = 0;
}

/**
 * LexRank: PageRank over the sentence-similarity graph, given as ascending neighbour lists
 * (sentence i's at neighbours[start[i]] to neighbours[start[i + 1]]).
 */
function lexRank(start: Int32Array, neighbours: Int32Array, damping = 0.85): Float64Array {
  const n = start.length - 1;
  // A sentence with no neighbours hands its share to every sentence.
  const dangling: number[] = [];
  for (let i = 0; i < n; i++) if (start[i + 1] === start[i]) dangling.push(i);
  let rank = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  const share = new Float64Array(n);
  for (let iteration = 0; iteration < 30; iteration++) {
    for (let i = 0; i < n; i++) share[i] = (damping * rank[i]) / (start[i + 1] - start[i] || n);
    // Each sentence adds up the shares it receives in ascending order of the giver, the order
    // in which handing out every sentence's share in turn would add them: the same sums.
    for (let j = 0; j < n; j++) {
      let sum = (1 - damping) / n;
      let q = start[j];
      for (const giver of dangling) {
        for (; q < start[j + 1] && neighbours[q] < giver; q++) sum += share[neighbours[q]];
        sum += share[giver];
      }
      for (; q < start[j + 1]; q++) sum += share[neighbours[q]];
      next[j] = sum;
    }
    [rank, next] = [next, rank];
  }
  const max = Math.max(...rank) || 1;
  return rank.map((r) => r / max);
}

export function summarize(articles: DedupedArticle[], stats: TermStats): SummarySentence[] {
  const options = DEFAULT_SUMMARY_OPTIONS;
  const vocabulary = new Vocabulary(stats);
  try {
    return summarizeWith(articles, vocabulary, options);
  } finally {
    vocabulary.release();
  }
}

function summarizeWith(articles: DedupedArticle[], vocabulary: Vocabulary, options: SummaryOptions): SummarySentence[] {
  const originals = originalIndexes(articles);
  const sources = originals.length;
  // Bounded work for big stories: fewer sentences per article as sources grow. News puts what
  // matters first, so the cut loses little.
  const perArticle = Math.max(MIN_PER_ARTICLE, Math.min(MAX_PER_ARTICLE, Math.floor(CANDIDATE_BUDGET / Math.max(1, sources))));
  const candidates: Candidate[] = [];
  for (const index of originals) {
    let position = 0;
    const sentences = sentencesOf(articles[index]);
    for (let s = 0; s < sentences.length && position < perArticle; s++) {
      const text = sentences[s];
      const tokens = vocabulary.keptTerms(articles[index], s) ?? contentTerms(text).map((term) => vocabulary.id(term));
      if (tokens.length === 0) continue;
      candidates.push({ text, article: index, position: position++, tokens });
    }
  }
  if (candidates.length === 0) return [];
  const n = candidates.length;
  // How many sources use each term, in their title or candidate sentences (a title term no
  // candidate uses could earn nothing, so it is skipped).
  const storyDf = new Int32Array(vocabulary.size);
  const countedFor = new Int32Array(vocabulary.size).fill(-1);
  const countTerm = (term: number | undefined, index: number) => {
    if (term === undefined || countedFor[term] === index) return;
    countedFor[term] = index;
    storyDf[term]++;
  };
  for (let o = 0, c = 0; o < originals.length; o++) {
    const index = originals[o];
    for (const term of contentTerms(articles[index].title)) countTerm(vocabulary.find(term), index);
    // Candidates come grouped by article, in the order of originals.
    for (; c < n && candidates[c].article === index; c++) for (const term of candidates[c].tokens) countTerm(term, index);
  }
  // A term's weight in sentence vectors: its specificity, less for a term more of the story's
  // sources use (an idf within the story, damped by STORY_IDF_SHARE): what every source says
  // is the story's topic, and two sentences that share only it do not state the same fact.
  const termWeights = new Float64Array(vocabulary.size);
  for (let t = 0; t < vocabulary.size; t++) {
    termWeights[t] = vocabulary.specificity[t] * (1 + STORY_IDF_SHARE * Math.log((sources + 1) / (storyDf[t] + 0.5)));
  }
  const vectors = sentenceVectors(candidates, termWeights);
  const articleOf = Int32Array.from(candidates, (c) => c.article);
  const scratch: Scratch = {
    forward: new Float64Array(n),
    backward: new Float64Array(n),
    shared: new Int32Array(n),
    dense: new Float64Array(vocabulary.size),
  };

  // One row of cosines per candidate gives both its LexRank neighbours and its support: how
  // strongly other sources say the same thing, from each one's best match.
  const neighbourStart = new Int32Array(n + 1);
  let neighbours = new Int32Array(4 * n);
  const support = new Float64Array(n);
  for (let i = 0, edges = 0; i < n; i++) {
    cosinesWith(vectors, i, scratch);
    const { forward, backward } = scratch;
    if (neighbours.length < edges + n) neighbours = grown(neighbours, 2 * neighbours.length + n);
    let sum = 0;
    for (let k = 0; k < n; ) {
      const article = articleOf[k];
      let best = 0;
      for (; k < n && articleOf[k] === article; k++) {
        // Linked when cosine(earlier, later) reaches the floor, as a pass over pairs would test it.
        if (k !== i && (k < i ? backward[k] : forward[k]) >= LEXRANK_FLOOR) neighbours[edges++] = k;
        if (forward[k] > best) best = forward[k];
      }
      if (article !== articleOf[i] && best > 0) sum += best;
    }
    neighbourStart[i + 1] = edges;
    if (sources > 1) support[i] = sum / (sources - 1);
  }
  const centrality = lexRank(neighbourStart, neighbours);
  const scores = candidates.map((candidate, i) => {
    const lead = 1 / Math.sqrt(1 + candidate.position);
    // Uncommon words no other source uses mark garbled text (a misspelling, a mangled name, a
    // rare synonym a spinner swapped in).
    const rare = candidate.tokens.filter((t) => storyDf[t] <= 1 && vocabulary.uncommon[t]).length / candidate.tokens.length;
    const fluency = sources > 1 ? 1 - 0.5 * rare : 1;
    return (0.35 * centrality[i] + 0.35 * support[i] + 0.3 * lead) * fluency;
  });

  // Coverage: a term is worth what most sources agree on (share of sources using it, squared)
  // times how specific it is, so dates, places and names that several outlets print
  // ("July 28", "Tokyo") pull in the sentence that states them; one outlet's angle, or a
  // clustering stray's topic, counts for little. Covered terms earn nothing twice.
  const coverageWeight = new Float64Array(vocabulary.size);
  for (let t = 0; t < vocabulary.size; t++) coverageWeight[t] = (storyDf[t] / sources) ** 2 * vocabulary.specificity[t];
  const covered = new Uint8Array(vocabulary.size);
  const gain = (i: number) => {
    let g = 0;
    for (let p = vectors.start[i]; p < vectors.start[i + 1]; p++) if (!covered[vectors.terms[p]]) g += coverageWeight[vectors.terms[p]];
    return g;
  };
  const gainNorm = Math.max(...candidates.map((_, i) => gain(i))) || 1;

  // When: a calendar day that two or more sources print ("July 28", "28 July") dates the story
  // for a reader who comes to it later, where "on Sunday" or "tentatively scheduled for July"
  // does not. The first sentence is chosen for what happened; after it, a sentence stating
  // such a day that the summary does not state yet earns DATE_BONUS (once per day).
  const days = candidates.map((c) => calendarDays(c.text));
  const daySources = new Map<string, Set<number>>();
  days.forEach((own, i) => {
    for (const day of own) {
      const articles = daySources.get(day) ?? new Set<number>();
      articles.add(candidates[i].article);
      daySources.set(day, articles);
    }
  });
  const statedDays = new Set<string>();
  const dating = (i: number) =>
    chosen.length > 0 && days[i].some((day) => daySources.get(day)!.size >= 2 && !statedDays.has(day)) ? DATE_BONUS : 0;

  // The pool is the self-contained sentences, or every sentence when none is. Word counts and
  // the self-containedness check (the costliest step per sentence) are made lazily: up to the
  // first self-contained candidate to decide the pool, then for sentences about to be chosen.
  const wordCounts = new Int32Array(n).fill(-1);
  const wordsOf = (i: number) => {
    if (wordCounts[i] < 0) wordCounts[i] = wordCount(candidates[i].text);
    return wordCounts[i];
  };
  const selfContainedness = new Int8Array(n); // 1 yes, -1 no, 0 not checked yet
  const eligible = (i: number) => {
    if (selfContainedness[i] === 0) selfContainedness[i] = selfContained(candidates[i].text, wordsOf(i)) ? 1 : -1;
    return selfContainedness[i] > 0;
  };
  const onlySelfContained = candidates.some((_, i) => eligible(i));
  const inPool = new Uint8Array(n).fill(1);
  const chosen: number[] = [];
  const toChosen: Float64Array[] = []; // toChosen[c][i] = cosine(i, chosen[c])
  const fromChosen = new Map<number, Float64Array>(); // chosen sentence → cosine(it, every candidate)
  let words = 0;
  let minGain = 0;
  const pick = (maxWords: number, done: () => boolean) => {
    while (chosen.length < options.maxSentences && !done()) {
      let best = -1;
      let bestValue = -Infinity;
      for (let i = 0; i < n; i++) {
        if (!inPool[i]) continue;
        const redundancy = toChosen.reduce((m, similarity) => Math.max(m, similarity[i]), 0);
        if (redundancy >= REDUNDANT) continue; // says what a chosen sentence says
        const covering = gain(i);
        const value = 0.75 * scores[i] - 0.25 * redundancy + COVERAGE_WEIGHT * (covering / gainNorm) + dating(i);
        if (value <= bestValue + 1e-12) continue;
        if (chosen.length > 0 && words + wordsOf(i) > maxWords) continue;
        if (covering < minGain) continue;
        if (!onlySelfContained || eligible(i)) {
          bestValue = value;
          best = i;
        }
      }
      if (best < 0) return;
      chosen.push(best);
      cosinesWith(vectors, best, scratch);
      toChosen.push(scratch.backward.slice());
      fromChosen.set(best, scratch.forward.slice());
      words += wordsOf(best);
      for (const day of days[best]) statedDays.add(day);
      for (let p = vectors.start[best]; p < vectors.start[best + 1]; p++) covered[vectors.terms[p]] = 1;
      inPool[best] = 0;
    }
  };
  pick(options.maxWords, () => words >= options.targetWords && chosen.length >= 2);
  // Too short because the next sentence would break the cap: a little more length beats a
  // one-sentence digest. Never a looser redundancy bound: when every other sentence restates
  // the lead, one sentence is the honest summary.
  pick(options.maxWords + SLACK_WORDS, () => words >= options.minWords && chosen.length >= 2);
  // A big story: room for one more sentence, only for one that brings much of what the
  // sources agree on and the summary lacks (a restatement covers little anew).
  if (sources >= BIG_STORY_SOURCES && chosen.length < options.maxSentences) {
    minGain = BIG_STORY_GAIN * gainNorm;
    const before = chosen.length;
    pick(options.maxWords + 2 * SLACK_WORDS, () => chosen.length > before);
  }
  readingOrder(chosen, candidates);
  return chosen.map((i) => ({ text: candidates[i].text, articles: statingArticles(i, fromChosen.get(i)!, candidates, articles) }));
}

/**
 * Puts the chosen sentences (in the order chosen, the best first) in reading order, in
 * place: the order chosen, as a news lead puts what matters first and the name before the
 * epithet ("Rep. Elijah E. Cummings died", then "Cummings, who ..."), except that sentences
 * of one article keep that article's order among themselves, since a later one may lean on an
 * earlier one. (Story order, earlier articles first, read worse and scored lower on NeuS:
 * ROUGE-L 0.264 against 0.268.)
 */
function readingOrder(chosen: number[], candidates: Candidate[]): void {
  const byArticle = new Map<number, number[]>();
  for (const c of chosen) appendTo(byArticle, candidates[c].article, c);
  for (const own of byArticle.values()) own.sort((a, b) => candidates[a].position - candidates[b].position);
  const used = new Map<number, number>();
  for (let k = 0; k < chosen.length; k++) {
    const article = candidates[chosen[k]].article;
    const next = used.get(article) ?? 0;
    used.set(article, next + 1);
    chosen[k] = byArticle.get(article)![next];
  }
}

/**
 * Every article that states the sentence: its own, others with a near-identical sentence, and
 * copies of those. `similarity[k]` is cosine(sentence, candidate k).
 */
function statingArticles(sentence: number, similarity: Float64Array, candidates: Candidate[], articles: DedupedArticle[]): string[] {
  const stating = new Set<number>([candidates[sentence].article]);
  candidates.forEach((other, k) => {
    if (!stating.has(other.article) && similarity[k] >= 0.6) stating.add(other.article);
  });
  const ids = new Set([...stating].map((i) => articles[i].id));
  for (const article of articles) {
    if (article.duplicateOf && ids.has(article.duplicateOf)) ids.add(article.id);
  }
  return articles.filter((a) => ids.has(a.id)).map((a) => a.id);
}
