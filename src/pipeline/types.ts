// The one set of types every pipeline stage and renderer shares (as marked's Tokens.ts does).
// Stages are pure functions over these types: no bindings, no I/O.

/** A file handed to the pipeline: its corpus-relative path and raw bytes. */
export interface CorpusFile {
  path: string;
  bytes: Uint8Array;
  /** When the file entered the corpus (R2 upload time, file mtime), ISO 8601; fallback date. */
  entered: string | null;
  /** Stored size when the bytes were not fetched because the file is over the size cap. */
  size?: number;
}

/** A file the pipeline could not use, with a reason a publisher can act on. */
export interface Rejection {
  path: string;
  reason: string;
}

/**
 * One paragraph of an article with its sentences, as paragraphsOf (clean) reads it from a
 * CleanArticle: made on each read, its text always the sentences joined by single spaces.
 */
export interface Paragraph {
  readonly text: string;
  readonly sentences: string[];
}

/** One file's analysis (ingest + clean): the cleaned article, or why the file was rejected. */
export interface FileAnalysis {
  path: string;
  article: CleanArticle | null;
  rejected: string | null;
}

/** Output of ingest: decoded text with its header fields read. */
export interface IngestedArticle {
  id: string;
  path: string;
  /** Hash of the file's decoded text: changes when the article's text does (the id stays with the path). */
  contentHash: string;
  format: "text" | "markdown";
  url: string | null;
  /** Headline as found in the article (front matter or headline line); null when the body starts at once. */
  headline: string | null;
  published: string | null;
  source: string | null;
  author: string | null;
  entered: string | null;
  /** Body paragraphs as plain text, before cleaning. */
  paragraphs: string[];
}

/** Output of clean: boilerplate and repeats removed, sentences split, title settled. */
export interface CleanArticle extends Omit<IngestedArticle, "paragraphs"> {
  /** Display title: the headline, else a title made from the lead. */
  title: string;
  /** True when the title was made from the lead rather than found. */
  titleFromLead: boolean;
  /** The body's paragraphs, each its sentences joined by single spaces (none empty). */
  paragraphs: string[];
  /**
   * Where each sentence ends, paragraph after paragraph, as an offset into its paragraph: a
   * paragraph's last sentence ends at its length. Read them through sentencesOf and
   * paragraphsOf (clean). Ends rather than sentence strings because every article a rebuild
   * holds is kept this way: an object, an array and a string per sentence or per paragraph
   * took half as much memory again as the text itself.
   */
  sentenceEnds: number[];
}

/** An article after dedupe: `duplicateOf` names the original it copies. */
export interface DedupedArticle extends CleanArticle {
  duplicateOf: string | null;
  /**
   * Articles written from the same template as this one but stating other numbers (automated
   * quake, weather or score reports): reports of other events, never of this one's story.
   * Ids ascending; usually empty.
   */
  otherEvents: readonly string[];
}

export interface SummarySentence {
  text: string;
  /** Every article (duplicates included) that states this sentence. */
  articles: string[];
}

export interface Story {
  id: string;
  title: string;
  /** Earliest article date, else the earliest time an article entered the corpus. */
  published: string | null;
  /** Latest article date or corpus-entry time among the story's articles. */
  updated: string | null;
  summary: SummarySentence[];
  /** Sources, earliest first; the founding article first among equals. */
  articles: DedupedArticle[];
}

export interface DigestMeta {
  title: string;
  description: string;
  siteUrl: string;
  language: string;
  /** Feed TTL in minutes (the cron period). */
  ttlMinutes: number;
}

export interface Digest {
  meta: DigestMeta;
  /** Build time as published in feeds: when the corpus last changed, so same corpus gives same bytes. */
  generatedAt: string;
  fingerprint: string;
  stories: Story[];
  rejected: Rejection[];
  stats: { files: number; articles: number; stories: number; duplicates: number; rejected: number };
}
