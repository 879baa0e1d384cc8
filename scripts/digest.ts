// CLI: the Worker's pipeline and renderers in Node, as a static export of a corpus folder.
//   npm run digest -- --corpus <dir> --out <dir> [--site-url <url>] [--generated-at <RFC 3339>] [--ignore-mtime] [--max-articles <n>]
// --ignore-mtime: a file's modification time is not when it entered the corpus (a copied
// folder, a labelled set), so undated articles stay undated; else it is their fallback date.
// --max-articles (or DIGEST_MAX_ARTICLES): the digest covers the newest n files by that time,
// as the Worker does (default 10,000).
// Exits non-zero only when it cannot read the corpus folder or write its output.
import { mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { parseArgs } from "node:util";
import { maxArticles, siteMeta } from "../src/config";
import { buildDigest, newestObjects } from "../src/pipeline/build";
import { toRfc3339 } from "../src/pipeline/dates";
import { isArticlePath } from "../src/pipeline/ingest";
import { hash64 } from "../src/pipeline/text";
import type { CorpusFile } from "../src/pipeline/types";
import { renderSite } from "../src/render/index";

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile() && isArticlePath(entry.name)) out.push(full);
  }
  return out;
}

export async function readCorpus(dir: string, useMtime = true): Promise<CorpusFile[]> {
  const paths = (await listFiles(dir)).sort();
  return Promise.all(
    paths.map(async (full) => {
      const [bytes, info] = await Promise.all([readFile(full), stat(full)]);
      const entered = useMtime ? toRfc3339(new Date(Math.floor(info.mtimeMs / 1000) * 1000)) : null;
      return { path: relative(dir, full).split(sep).join("/"), bytes: new Uint8Array(bytes), entered };
    }),
  );
}

/** Same files → same fingerprint, whatever order the folder lists them in. */
export function corpusFingerprint(files: CorpusFile[]): string {
  const lines = files.map((f) => `${f.path}\t${hash64(new TextDecoder().decode(f.bytes))}`).sort();
  return hash64(lines.join("\n"));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      corpus: { type: "string", default: "corpus" },
      out: { type: "string", default: "out" },
      "site-url": { type: "string" },
      "generated-at": { type: "string" },
      "ignore-mtime": { type: "boolean", default: false },
      "max-articles": { type: "string" },
    },
  });
  let limit: number;
  try {
    limit = maxArticles({ DIGEST_MAX_ARTICLES: values["max-articles"] ?? process.env.DIGEST_MAX_ARTICLES });
  } catch (error) {
    console.error(`digest: ${(error as Error).message}`);
    return 2;
  }
  const started = performance.now();
  let files: CorpusFile[];
  try {
    const all = await readCorpus(values.corpus!, !values["ignore-mtime"]);
    files = newestObjects(all, limit, (file) => ({ path: file.path, entered: file.entered }));
    if (files.length < all.length) console.error(`digest: covering the newest ${files.length} of ${all.length} files (--max-articles)`);
  } catch (error) {
    console.error(`digest: cannot read corpus folder ${values.corpus}: ${(error as Error).message}`);
    return 2;
  }
  // Reproducible builds: the build time is when the corpus last changed (or SOURCE_DATE_EPOCH).
  const epoch = process.env.SOURCE_DATE_EPOCH ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000) : null;
  const latest = files.map((f) => f.entered ?? "").sort().pop();
  const generatedAt = values["generated-at"] ?? (epoch ? toRfc3339(epoch) : latest || "1970-01-01T00:00:00Z");
  const digest = buildDigest(files, {
    meta: siteMeta({ ...process.env, SITE_URL: values["site-url"] ?? process.env.SITE_URL }),
    generatedAt,
    fingerprint: corpusFingerprint(files),
  });
  try {
    for (const file of renderSite(digest)) {
      const target = join(values.out!, file.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.body);
    }
  } catch (error) {
    console.error(`digest: cannot write output to ${values.out}: ${(error as Error).message}`);
    return 1;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const { files: read, stories, duplicates, rejected } = digest.stats;
  console.log(`digest: ${read} files read, ${stories} stories, ${duplicates} duplicates, ${rejected} rejected, ${seconds}s → ${values.out}`);
  for (const r of digest.rejected) console.error(`  rejected ${r.path}: ${r.reason}`);
  return 0;
}

main().then((code) => process.exit(code));
