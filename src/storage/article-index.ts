// The article index in KV: every corpus file's analysis (cleaned article or rejection),
// tagged with the R2 etag and upload time it was made from, so a rebuild reads and analyses
// only files that are new or changed. Entries live in a few large shard objects, as few as
// their size allows (one up to about 3,500 articles), because each costs a read on every
// rebuild; a rebuild rewrites only the shards whose entries changed. The index is a cache
// of pure results: losing it, or two rebuilds overwriting each other's shards (or one
// re-laying it out under the other), costs re-analysis, never a wrong digest.
import { ANALYSIS_VERSION } from "../pipeline/build";
import { keptBody, paragraphsOf } from "../pipeline/clean";
import { hash32 } from "../pipeline/text";
import type { FileAnalysis } from "../pipeline/types";

export interface IndexEntry {
  key: string;
  /** R2 etag (content hash) and upload time of the object the analysis was made from. */
  etag: string;
  uploaded: string;
  analysis: FileAnalysis;
}

const PREFIX = `index/v${ANALYSIS_VERSION}/`;
/** Names the shard count in use, so a reader knows which shard keys to read. */
const HEAD_KEY = `${PREFIX}head`;
/**
 * Shard size. Every shard is read on every rebuild and a changed shard is rewritten whole,
 * so the count trades read operations against bytes rewritten per change: a re-layout aims
 * at `targetBytes` each, and one happens when a shard grows past `splitBytes` (one shard
 * holds about 3,500 articles before it splits; 10,000 analysed at once take 5, fewer when
 * the index grows a batch at a time, as re-layouts then start from fuller shards).
 */
const SHARD_SIZES = { targetBytes: 10 * 1024 * 1024, splitBytes: 20 * 1024 * 1024 };
/** KV's value limit is 25 MiB; stay clear of it so a write never fails on size. */
const MAX_SHARD_BYTES = 24 * 1024 * 1024;

export interface ArticleIndex {
  entries: Map<string, IndexEntry>;
  /** Shard count of the stored layout the entries were read from (1 when nothing is stored). */
  shards: number;
  /** Keys of stored entries that readIndex's `keep` turned down: their shards need rewriting. */
  dropped: string[];
}

function shardOf(key: string, shards: number): number {
  return hash32("shard:" + key) % shards;
}

function shardKey(shards: number, shard: number): string {
  return `${PREFIX}${shards}/${shard}`;
}

/**
 * An article's paragraphs are stored as their sentences only, in place of the paragraph texts
 * and sentence ends: each text is its sentences joined (keptBody), which halves the index.
 */
function pack(entry: IndexEntry): unknown {
  const article = entry.analysis.article;
  if (!article) return entry;
  const { sentenceEnds, ...rest } = article;
  return { ...entry, analysis: { ...entry.analysis, article: { ...rest, paragraphs: paragraphsOf(article).map((p) => p.sentences) } } };
}

function unpack(stored: IndexEntry): IndexEntry {
  const article = stored.analysis.article;
  if (article) Object.assign(article, keptBody(article.paragraphs as unknown as string[][]));
  return stored;
}

/** Every stored analysis of the current ANALYSIS_VERSION whose key `keep` accepts, by corpus key. */
export async function readIndex(kv: KVNamespace, keep: (key: string) => boolean = () => true): Promise<ArticleIndex> {
  const head = await kv.get<{ shards: number }>(HEAD_KEY, "json");
  const shards = head && Number.isInteger(head.shards) && head.shards >= 1 ? head.shards : 1;
  // One shard at a time: each is parsed and unpacked before the next is read, so only one
  // shard's raw JSON is held at once (each is about 10 MB of text).
  const entries = new Map<string, IndexEntry>();
  const dropped: string[] = [];
  for (let shard = 0; shard < shards; shard++) {
    const stored = await kv.get<IndexEntry[]>(shardKey(shards, shard), "json");
    for (const entry of stored ?? []) {
      if (keep(entry.key)) entries.set(entry.key, unpack(entry));
      else dropped.push(entry.key);
    }
  }
  return { entries, shards, dropped };
}

/**
 * Shard bodies of `shards` shards (those in `only`, or all): each its entries' JSON by key, as
 * one array, put together from each entry's encoded JSON, so no shard-sized string is built.
 */
function shardBodies(keys: Iterable<string>, bytesOf: (key: string) => Uint8Array, shards: number, only: Set<number> | null): Map<number, Uint8Array> {
  const members = new Map<number, string[]>();
  for (let shard = 0; shard < shards; shard++) if (!only || only.has(shard)) members.set(shard, []);
  for (const key of keys) members.get(shardOf(key, shards))?.push(key);
  return new Map(
    [...members].map(([shard, list]) => {
      const parts = list.sort().map(bytesOf);
      // "[", the parts with a comma between each two, "]".
      const body = new Uint8Array(parts.reduce((size, part) => size + part.byteLength, 0) + Math.max(parts.length - 1, 0) + 2);
      body[0] = 0x5b; // "["
      let at = 1;
      parts.forEach((part, i) => {
        if (i > 0) body[at++] = 0x2c; // ","
        body.set(part, at);
        at += part.byteLength;
      });
      body[at] = 0x5d; // "]"
      return [shard, body];
    }),
  );
}

/**
 * Rewrite the shards holding any of `touched` (keys added, changed or removed). When one
 * outgrows `sizes.splitBytes`, the whole index is laid out again over more shards, the head
 * switched to them, and the old shards deleted.
 */
export async function writeIndex(kv: KVNamespace, index: ArticleIndex, touched: Iterable<string>, sizes = SHARD_SIZES): Promise<void> {
  const changed = new Set<number>();
  for (const key of touched) changed.add(shardOf(key, index.shards));
  if (changed.size === 0) return;
  // Each entry is serialized and encoded once, however many layouts are tried.
  const encoder = new TextEncoder();
  const serialized = new Map<string, Uint8Array>();
  const bytesOf = (key: string): Uint8Array => {
    let bytes = serialized.get(key);
    if (bytes === undefined) serialized.set(key, (bytes = encoder.encode(JSON.stringify(pack(index.entries.get(key)!)))));
    return bytes;
  };
  let shards = index.shards;
  let bodies = shardBodies(index.entries.keys(), bytesOf, shards, changed);
  if ([...bodies.values()].some((body) => body.byteLength > sizes.splitBytes)) {
    let total = 0;
    for (const key of index.entries.keys()) total += bytesOf(key).byteLength + 1;
    shards = Math.max(shards + 1, Math.ceil(total / sizes.targetBytes));
    bodies = shardBodies(index.entries.keys(), bytesOf, shards, null);
  }
  for (const [shard, body] of bodies) {
    if (body.byteLength > MAX_SHARD_BYTES) throw new Error(`article index shard ${shard} would be ${body.byteLength} bytes, over the KV value limit`);
  }
  await Promise.all([...bodies].map(([shard, body]) => kv.put(shardKey(shards, shard), body)));
  if (shards !== index.shards) {
    // Readers follow the head: switch it only once the new shards are all written.
    await kv.put(HEAD_KEY, JSON.stringify({ shards }));
    await Promise.all(Array.from({ length: index.shards }, (_, shard) => kv.delete(shardKey(index.shards, shard))));
    index.shards = shards;
  }
}
