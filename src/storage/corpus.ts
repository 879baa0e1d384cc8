// The corpus in R2: one object per article, key = its corpus path. Helpers take the bucket
// binding alone, so they can be tested and reused without the rest of the Worker's Env.
import { toRfc3339 } from "../pipeline/dates";
import { MAX_ARTICLE_BYTES, isArticlePath } from "../pipeline/ingest";
import { hash64 } from "../pipeline/text";
import type { CorpusFile } from "../pipeline/types";
import { BoundedTasks } from "./concurrency";

/** One object of the corpus as listings (rebuild, admin API) describe it. */
export interface CorpusEntry {
  key: string;
  etag: string;
  size: number;
  uploaded: string;
}

function entryOf(object: R2Object): CorpusEntry {
  return { key: object.key, etag: object.etag, size: object.size, uploaded: toRfc3339(object.uploaded) };
}

/** Every object in the bucket, following `truncated` pages (R2 returns at most 1,000 a page). */
export async function listCorpus(bucket: R2Bucket): Promise<CorpusEntry[]> {
  const entries: CorpusEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCorpusPage(bucket, { cursor, limit: 1000 });
    entries.push(...page.articles);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Same keys and contents → same fingerprint, whatever order the bucket lists them in. */
export function fingerprintOf(entries: CorpusEntry[]): string {
  return hash64(
    entries
      .map((e) => `${e.key}\t${e.etag}`)
      .sort()
      .join("\n"),
  );
}

/** When the corpus last changed: the build time feeds print, so equal corpora give equal bytes. */
export function lastChanged(entries: CorpusEntry[]): string {
  return entries.reduce((latest, e) => (e.uploaded > latest ? e.uploaded : latest), "1970-01-01T00:00:00Z");
}

/**
 * Read the listed objects, a bounded number at a time (BoundedTasks). An object that vanished
 * since listing is skipped.
 */
export async function readCorpus(bucket: R2Bucket, entries: CorpusEntry[]): Promise<CorpusFile[]> {
  const files: (CorpusFile | null)[] = new Array(entries.length).fill(null);
  const reads = new BoundedTasks();
  for (const [index, entry] of entries.entries()) {
    // An oversized object is rejected by its listed size, and a non-article by its name
    // (analyzeFile looks at nothing else then): neither is downloaded.
    if (entry.size > MAX_ARTICLE_BYTES || !isArticlePath(entry.key)) {
      files[index] = { path: entry.key, bytes: new Uint8Array(0), entered: entry.uploaded, size: entry.size };
      continue;
    }
    await reads.add(async () => {
      const object = await bucket.get(entry.key);
      if (object) files[index] = { path: entry.key, bytes: new Uint8Array(await object.arrayBuffer()), entered: entry.uploaded };
    });
  }
  await reads.done();
  return files.filter((f): f is CorpusFile => f !== null);
}

// ---------------------------------------------------------------------------------------------
// Writes for the admin API. Keys must already be validated (src/security.ts); these helpers
// only talk to the bucket.

export interface CorpusPage {
  articles: CorpusEntry[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  cursor: string | null;
  truncated: boolean;
}

/** One page of the bucket listing (R2 returns at most 1,000 objects a page). */
export async function listCorpusPage(bucket: R2Bucket, options: { cursor?: string; limit: number }): Promise<CorpusPage> {
  const page = await bucket.list({ cursor: options.cursor, limit: options.limit });
  return {
    articles: page.objects.map(entryOf),
    cursor: page.truncated ? page.cursor : null,
    truncated: page.truncated,
  };
}

/** Store one article's text (UTF-8). Returns what was stored and whether the key was new. */
export async function putArticle(
  bucket: R2Bucket,
  key: string,
  body: Uint8Array,
  contentType: string,
): Promise<{ info: CorpusEntry; created: boolean }> {
  const existed = (await bucket.head(key)) !== null;
  const object = await bucket.put(key, body, { httpMetadata: { contentType } });
  return {
    info: entryOf(object),
    created: !existed,
  };
}

/** Delete one article; false when there was no such object. */
export async function deleteArticle(bucket: R2Bucket, key: string): Promise<boolean> {
  if ((await bucket.head(key)) === null) return false;
  await bucket.delete(key);
  return true;
}
