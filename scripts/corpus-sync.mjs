#!/usr/bin/env node
// Load corpus/ into the R2 bucket: the local one that `wrangler dev` reads (.wrangler/state,
// or the folder given to `wrangler dev --persist-to` with --persist-to), or with --remote the
// deployed one. Adds and updates; deletes only with --delete.
//   npm run corpus:sync [-- --corpus <dir>] [--persist-to <dir>] [--remote] [--delete]
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { parseArgs } from "node:util";
import { spawnSync } from "node:child_process";

const { values } = parseArgs({
  options: {
    corpus: { type: "string", default: "corpus" },
    remote: { type: "boolean", default: false },
    delete: { type: "boolean", default: false },
    bucket: { type: "string", default: "news-digest-corpus" },
    "persist-to": { type: "string" },
  },
});

async function listFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile() && /\.(txt|md|markdown)$/i.test(entry.name)) out.push(full);
  }
  return out.sort();
}

const contentType = (key) => (/\.(md|markdown)$/i.test(key) ? "text/markdown; charset=utf-8" : "text/plain; charset=utf-8");
const files = await listFiles(values.corpus);
const keyOf = (full) => relative(values.corpus, full).split(sep).join("/");

if (values.remote) {
  if (values.delete) {
    console.error("corpus:sync: --delete is only supported locally; delete remote objects with `wrangler r2 object delete`.");
    process.exit(2);
  }
  for (const full of files) {
    const key = keyOf(full);
    const result = spawnSync("npx", ["wrangler", "r2", "object", "put", `${values.bucket}/${key}`, "--file", full, "--content-type", contentType(key), "--remote"], { stdio: "inherit" });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  console.log(`corpus:sync: uploaded ${files.length} files to the remote bucket ${values.bucket}`);
  process.exit(0);
}

const { getPlatformProxy } = await import("wrangler");
// `wrangler dev --persist-to <dir>` keeps its state in <dir>/v3, which is what the proxy wants.
const persist = values["persist-to"] ? { path: join(values["persist-to"], "v3") } : true;
const proxy = await getPlatformProxy({ persist, remoteBindings: false });
try {
  const bucket = proxy.env.CORPUS;
  const existing = new Map();
  let cursor;
  do {
    const page = await bucket.list({ cursor, limit: 1000 });
    for (const object of page.objects) existing.set(object.key, object.etag);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  let added = 0;
  let updated = 0;
  let unchanged = 0;
  for (const full of files) {
    const key = keyOf(full);
    const bytes = await readFile(full);
    // Unchanged files are not re-uploaded, so the corpus fingerprint (and the live build) stays put.
    const md5 = createHash("md5").update(bytes).digest("hex");
    if (existing.get(key) === md5) {
      unchanged++;
    } else {
      const body = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      await bucket.put(key, body, { httpMetadata: { contentType: contentType(key) } });
      existing.has(key) ? updated++ : added++;
    }
    existing.delete(key);
  }
  let deleted = 0;
  if (values.delete) {
    for (const key of existing.keys()) {
      await bucket.delete(key);
      deleted++;
    }
  }
  const kept = values.delete ? 0 : existing.size;
  console.log(
    `corpus:sync: ${added} added, ${updated} updated, ${unchanged} unchanged, ${deleted} deleted` +
      (kept ? `, ${kept} objects not in ${values.corpus} kept (use --delete to remove them)` : ""),
  );
} finally {
  await proxy.dispose();
}
