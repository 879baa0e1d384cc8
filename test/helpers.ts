// Shared test set-up for the workerd tests: the seed corpus as bytes, and storage resets.
/// <reference types="vite/client" />
import { env } from "cloudflare:workers";

const seedTexts = import.meta.glob("../corpus/*.{txt,md}", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

/** The corpus/ folder as {key → text}, keyed like the R2 bucket (path inside corpus/). */
export const SEEDS: Record<string, string> = Object.fromEntries(
  Object.entries(seedTexts).map(([path, text]) => [path.replace(/^.*\/corpus\//, ""), text]),
);

export async function clearStorage(): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await env.CORPUS.list({ cursor });
    if (page.objects.length) await env.CORPUS.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  let kvCursor: string | undefined;
  do {
    const page = await env.DIGEST.list({ cursor: kvCursor });
    await Promise.all(page.keys.map((k) => env.DIGEST.delete(k.name)));
    kvCursor = page.list_complete ? undefined : page.cursor;
  } while (kvCursor);
}

export async function putArticles(articles: Record<string, string>): Promise<void> {
  for (const [key, text] of Object.entries(articles)) await env.CORPUS.put(key, text);
}

/** Every KV key with its value: to prove a run wrote nothing. */
export async function snapshotKv(): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  let cursor: string | undefined;
  do {
    const page = await env.DIGEST.list({ cursor });
    for (const key of page.keys) out[key.name] = await env.DIGEST.get(key.name);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out;
}
