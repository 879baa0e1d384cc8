// Shared test set-up for the workerd tests: the seed corpus, storage listing and resets, and
// instrumented bindings for counting or failing storage calls.
/// <reference types="vite/client" />
import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import worker from "../src/index";
import { rebuild } from "../src/rebuild";
import { readManifest, readPointer, type Manifest } from "../src/storage/published";

/** The local origin the Worker's SITE_URL points at in tests. */
export const BASE = "http://localhost:8787";

/** A request through the deployed entry point (the Worker's own fetch, with its bindings and secret). */
export const get = (path: string, init?: RequestInit): Promise<Response> => exports.default.fetch(new Request(BASE + path, init));

/** One run of the cron trigger through the Worker's scheduled handler. */
export async function runCron(): Promise<void> {
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/15 * * * *" }), env, createExecutionContext());
}

const seedTexts = import.meta.glob("../corpus/*.{txt,md}", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

/** The corpus/ folder as {key → text}, keyed like the R2 bucket (path inside corpus/). */
export const SEEDS: Record<string, string> = Object.fromEntries(
  Object.entries(seedTexts).map(([path, text]) => [path.replace(/^.*\/corpus\//, ""), text]),
);

/** Every key in the bucket, sorted (R2 list pages end when `truncated` is false). */
export async function r2Keys(bucket: R2Bucket = env.CORPUS): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ cursor });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys.sort();
}

/** Every KV key, or those under `prefix`, sorted (KV list pages end at `list_complete`). */
export async function kvKeys(prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.DIGEST.list({ prefix, cursor });
    keys.push(...page.keys.map((key) => key.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return keys.sort();
}

/** The live build's manifest (pointer → manifest); fails the test when nothing is published. */
export async function liveManifest(): Promise<Manifest> {
  const pointer = await readPointer(env.DIGEST);
  if (!pointer) throw new Error("no live build: the pointer is not set");
  const manifest = await readManifest(env.DIGEST, pointer);
  if (!manifest) throw new Error(`no manifest for the live build ${pointer}`);
  return manifest;
}

export async function clearStorage(): Promise<void> {
  const objects = await r2Keys();
  for (let i = 0; i < objects.length; i += 1000) await env.CORPUS.delete(objects.slice(i, i + 1000));
  await Promise.all((await kvKeys()).map((key) => env.DIGEST.delete(key)));
}

export async function putArticles(articles: Record<string, string | Uint8Array>): Promise<void> {
  const entries = Object.entries(articles);
  // Fifty at a time: the big-corpus tests upload thousands of objects.
  for (let i = 0; i < entries.length; i += 50) {
    await Promise.all(entries.slice(i, i + 50).map(([key, body]) => env.CORPUS.put(key, body)));
  }
}

/** Empty storage, then `articles` uploaded and published by one rebuild: the start of most rebuild tests. */
export async function publishFresh(articles: Record<string, string | Uint8Array>): Promise<void> {
  await clearStorage();
  await putArticles(articles);
  expect((await rebuild(env)).status, "the first publish").toBe("published");
}

/** Every KV key with its value: to prove a run wrote nothing. */
export async function snapshotKv(): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const key of await kvKeys()) out[key] = await env.DIGEST.get(key);
  return out;
}

type Method = (...args: unknown[]) => unknown;

/**
 * A binding (R2 bucket, KV namespace) that counts calls of the named methods and records the
 * key (first argument) of each, with any of them replaced: a replacement gets the original
 * method first, so it can fail, delay or pass through.
 */
export function instrument<T extends object, M extends string>(
  binding: T,
  methods: readonly M[],
  replace: Partial<Record<M, (original: Method, ...args: unknown[]) => unknown>> = {},
): { binding: T; calls: Record<M, number>; keys: Record<M, unknown[]> } {
  const calls = Object.fromEntries(methods.map((m) => [m, 0])) as Record<M, number>;
  const keys = Object.fromEntries(methods.map((m) => [m, []])) as unknown as Record<M, unknown[]>;
  const wrapped = new Proxy(binding, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      const method = value.bind(target) as Method;
      if (!(methods as readonly string[]).includes(prop as string)) return method;
      const name = prop as M;
      return (...args: unknown[]) => {
        calls[name]++;
        keys[name].push(args[0]);
        const replacement = replace[name];
        return replacement ? replacement(method, ...args) : method(...args);
      };
    },
  });
  return { binding: wrapped, calls, keys };
}
