// The article index in KV: every corpus file's analysis (cleaned article or rejection),
// tagged with the R2 etag and upload time it was made from, so a rebuild reads and analyses
// only files that are new or changed. Entries live in a fixed number of shard objects
// (a few large values, not one per article): a rebuild reads every shard once and rewrites
// only the shards whose entries changed. The index is a cache of pure results: losing it,
// or two rebuilds overwriting each other's shards, costs re-analysis, never a wrong digest.
import { ANALYSIS_VERSION } from "../pipeline/build";
import { joinSentences } from "../pipeline/clean";
import { hash32 } from "../pipeline/text";
import type { FileAnalysis, Paragraph } from "../pipeline/types";

export interface IndexEntry {
  key: string;
  /** R2 etag (content hash) and upload time of the object the analysis was made from. */
  etag: string;
  uploaded: string;
  analysis: FileAnalysis;
}

/** Shards: at 50,000 articles each holds ~1,600 (a few MB), far under KV's 25 MiB per value. */
export const INDEX_SHARDS = 32;
const SHARD_PREFIX = `index/v${ANALYSIS_VERSION}/`;
/** KV's value limit is 25 MiB; stay clear of it so a write never fails on size. */
const MAX_SHARD_BYTES = 24 * 1024 * 1024;

export function shardOf(key: string): number {
  return hash32("shard:" + key) % INDEX_SHARDS;
}

function shardKey(shard: number): string {
  return `${SHARD_PREFIX}${String(shard).padStart(2, "0")}`;
}

/**
 * Stored form of a paragraph: most paragraphs are exactly their sentences joined by spaces,
 * so only the sentences are kept (halving the index); the text is kept too when it is not.
 */
type StoredParagraph = string[] | Paragraph;

function packParagraph(paragraph: Paragraph): StoredParagraph {
  return paragraph.sentences.join(" ") === paragraph.text ? paragraph.sentences : paragraph;
}

function unpackParagraph(stored: StoredParagraph): Paragraph {
  return Array.isArray(stored) ? joinSentences(stored) : stored;
}

function pack(entry: IndexEntry): unknown {
  const article = entry.analysis.article;
  if (!article) return entry;
  return { ...entry, analysis: { ...entry.analysis, article: { ...article, paragraphs: article.paragraphs.map(packParagraph) } } };
}

function unpack(stored: IndexEntry): IndexEntry {
  const article = stored.analysis.article;
  if (article) article.paragraphs = (article.paragraphs as StoredParagraph[]).map(unpackParagraph);
  return stored;
}

/** Every stored analysis of the current ANALYSIS_VERSION, by corpus key. */
export async function readIndex(kv: KVNamespace): Promise<Map<string, IndexEntry>> {
  const shards = await Promise.all(Array.from({ length: INDEX_SHARDS }, (_, shard) => kv.get<IndexEntry[]>(shardKey(shard), "json")));
  const index = new Map<string, IndexEntry>();
  for (const entries of shards) for (const entry of entries ?? []) index.set(entry.key, unpack(entry));
  return index;
}

/** Rewrite the shards holding any of `touched` (keys added, changed or removed). */
export async function writeIndex(kv: KVNamespace, index: Map<string, IndexEntry>, touched: Iterable<string>): Promise<void> {
  const shards = new Set<number>();
  for (const key of touched) shards.add(shardOf(key));
  if (shards.size === 0) return;
  const members = new Map<number, IndexEntry[]>();
  for (const shard of shards) members.set(shard, []);
  for (const entry of index.values()) members.get(shardOf(entry.key))?.push(entry);
  await Promise.all(
    [...members].map(([shard, entries]) => {
      entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const body = new TextEncoder().encode(JSON.stringify(entries.map(pack)));
      if (body.byteLength > MAX_SHARD_BYTES) throw new Error(`article index shard ${shard} would be ${body.byteLength} bytes, over the KV value limit`);
      return kv.put(shardKey(shard), body);
    }),
  );
}
