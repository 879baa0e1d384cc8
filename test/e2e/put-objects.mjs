#!/usr/bin/env node
// Put files into the CORPUS R2 bucket of a local persist dir, through wrangler's getPlatformProxy
// (the storage `wrangler dev --persist-to <dir>` reads: getPlatformProxy wants <dir>/v3).
// A separate process so wrangler's own signal handlers stay out of the e2e harness.
//
//   node test/e2e/put-objects.mjs <persist-dir> <key>=<file> [<key>=<file> ...]
//
// Run from the project root (wrangler.toml names the bucket). Prints the bucket's keys as JSON.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { getPlatformProxy } from "wrangler";

const [persistDir, ...pairs] = process.argv.slice(2);
if (!persistDir || pairs.some((pair) => !pair.includes("="))) {
  console.error("usage: put-objects.mjs <persist-dir> <key>=<file> ...");
  process.exit(2);
}

const contentType = (key) => (/\.(md|markdown)$/i.test(key) ? "text/markdown; charset=utf-8" : "text/plain; charset=utf-8");

const proxy = await getPlatformProxy({ persist: { path: join(persistDir, "v3") }, remoteBindings: false });
try {
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    const key = pair.slice(0, at);
    const bytes = await readFile(pair.slice(at + 1));
    // An ArrayBuffer, not a Buffer: the proxy cannot serialise Node Buffers.
    const body = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    await proxy.env.CORPUS.put(key, body, { httpMetadata: { contentType: contentType(key) } });
  }
  const keys = [];
  let cursor;
  do {
    const page = await proxy.env.CORPUS.list({ cursor, limit: 1000 });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  console.log(JSON.stringify(keys));
} finally {
  await proxy.dispose();
}
