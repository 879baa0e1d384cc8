// Scores the digest against labelled corpora (see /work/shared/eval/README.md for formats).
//
//   npm run eval -- --corpus <dir> [--corpus <dir> ...] [--json] [--keep] [--cli <script>]
//
// For each corpus it runs the real digest CLI (scripts/digest.ts) into a temp folder, so
// what is scored is exactly what a publisher would build, then compares digest.json with
// labels.json (grouping), references.json (summaries) and duplicates.json (near-duplicate
// flags). The metrics themselves live in src/eval/metrics.ts; this file only does I/O.

import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import {
  clusteringMetrics,
  duplicateMetrics,
  rougeScores,
  type ClusteringScores,
  type DuplicateScores,
  type RougeScores,
} from "../src/eval/metrics";

// Only the parts of the digest.json contract the eval reads; kept local so the eval does
// not break (or silently adapt) when pipeline-internal types change.
interface DigestJson {
  stories: Array<{
    id: string;
    summary?: Array<{ text: string }>;
    articles: Array<{ id: string; path: string; duplicateOf?: string | null }>;
  }>;
  rejected?: Array<{ path: string; reason: string }>;
}

interface CorpusResult {
  corpus: string;
  buildSeconds: number;
  digestStories: number;
  rejected: number;
  clustering: ClusteringScores;
  rouge: (RougeScores & { stories: number }) | null;
  duplicates: DuplicateScores | null;
}

class EvalError extends Error {}

const scriptsDir = fileURLToPath(new URL(".", import.meta.url));
const projectRoot = resolve(scriptsDir, "..");
const defaultDigestScript = join(scriptsDir, "digest.ts");

function usage(): string {
  return "usage: npm run eval -- --corpus <dir> [--corpus <dir> ...] [--json] [--keep] [--cli <script>]\n" +
    "  --json  print the numbers as JSON (an array, one entry per corpus)\n" +
    "  --keep  keep each digest output folder and print where it is\n" +
    "  --cli   digest script to run instead of scripts/digest.ts (same --corpus/--out contract)";
}

interface Options {
  corpora: string[];
  json: boolean;
  keep: boolean;
  cli: string;
}

function parseArgs(argv: string[]): Options {
  const corpora: string[] = [];
  let json = false;
  let keep = false;
  let cli = defaultDigestScript;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--corpus") {
      const v = argv[++i];
      if (!v) throw new EvalError("--corpus needs a folder");
      corpora.push(v);
    } else if (a.startsWith("--corpus=")) {
      corpora.push(a.slice("--corpus=".length));
    } else if (a === "--json") {
      json = true;
    } else if (a === "--keep") {
      keep = true;
    } else if (a === "--cli") {
      const v = argv[++i];
      if (!v) throw new EvalError("--cli needs a script path");
      cli = resolve(v);
    } else if (a === "--help" || a === "-h") {
      console.log(usage());
      process.exit(0);
    } else {
      throw new EvalError(`unknown argument ${a}\n${usage()}`);
    }
  }
  if (corpora.length === 0) throw new EvalError(`no --corpus given\n${usage()}`);
  return { corpora, json, keep, cli };
}

/** Digest paths are corpus-relative, but tolerate "./x" and Windows separators. */
function normPath(p: string): string {
  return posix.normalize(p.replace(/\\/g, "/")).replace(/^\.\//, "");
}

async function readJson<T>(file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch (e) {
    throw new EvalError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

async function readOptionalJson<T>(file: string): Promise<T | null> {
  return existsSync(file) ? readJson<T>(file) : null;
}

/** Runs the digest CLI; resolves with the wall time, rejects with its stderr on failure. */
function runDigest(digestScript: string, corpus: string, out: string): Promise<number> {
  if (!existsSync(digestScript)) {
    return Promise.reject(new EvalError(`digest CLI not found at ${digestScript}`));
  }
  // tsx's own CLI under this Node, rather than npx: no npm startup in the timing, and no
  // dependence on PATH.
  const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
  // A labelled folder's file times are when it was copied, not when articles arrived: scores
  // must not depend on them (they once moved neus-val's ROUGE-1 by 0.002 between machines).
  const args = [tsxCli, digestScript, "--corpus", corpus, "--out", out, ...(digestScript === defaultDigestScript ? ["--ignore-mtime"] : [])];
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (e) => reject(new EvalError(`cannot start digest CLI: ${e.message}`)));
    child.on("close", (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) return resolvePromise(seconds);
      const why = signal ? `signal ${signal}` : `exit code ${code}`;
      const output = (stderr || stdout).trim().split("\n").slice(-20).join("\n");
      reject(new EvalError(`digest CLI failed on ${corpus} (${why})${output ? `:\n${output}` : ""}`));
    });
  });
}

async function evalCorpus(corpusArg: string, opts: Options): Promise<CorpusResult> {
  const corpus = resolve(corpusArg);
  if (!existsSync(corpus) || !statSync(corpus).isDirectory()) {
    throw new EvalError(`corpus folder not found: ${corpusArg}`);
  }
  const labels = await readJson<Record<string, string>>(join(corpus, "labels.json"));
  const references = await readOptionalJson<Record<string, string>>(join(corpus, "references.json"));
  const duplicates = await readOptionalJson<Record<string, string>>(join(corpus, "duplicates.json"));

  const out = await mkdtemp(join(tmpdir(), "digest-eval-"));
  try {
    const buildSeconds = await runDigest(opts.cli, corpus, out);
    const digest = await readJson<DigestJson>(join(out, "digest.json"));
    if (!Array.isArray(digest.stories)) throw new EvalError(`${out}/digest.json has no stories array`);

    // Item = corpus-relative path, the only name shared by digest.json and the labels.
    const gold = new Map(Object.entries(labels).map(([f, l]) => [normPath(f), l] as const));
    const predicted = new Map<string, number>();
    const idToPath = new Map<string, string>();
    const flags = new Map<string, string | null>();
    digest.stories.forEach((story, si) => {
      for (const a of story.articles ?? []) {
        const p = normPath(a.path);
        // An article listed twice keeps its first story: the digest should not do this,
        // and scoring it twice would distort every metric.
        if (!predicted.has(p)) predicted.set(p, si);
        idToPath.set(a.id, p);
      }
    });
    for (const story of digest.stories) {
      for (const a of story.articles ?? []) {
        const d = a.duplicateOf;
        // duplicateOf is an article id; fall back to reading it as a path so a contract
        // slip shows up as scores, not as a crash.
        flags.set(normPath(a.path), d == null ? null : (idToPath.get(d) ?? normPath(d)));
      }
    }

    const clustering = clusteringMetrics(predicted, gold);

    let rouge: CorpusResult["rouge"] = null;
    if (references) {
      const members = new Map<string, string[]>();
      for (const [p, l] of gold) {
        const list = members.get(l) ?? [];
        list.push(p);
        members.set(l, list);
      }
      const sums = { rouge1: 0, rouge2: 0, rougeL: 0 };
      let n = 0;
      for (const [label, reference] of Object.entries(references)) {
        const paths = members.get(label);
        if (!paths) continue; // a reference for a story with no labelled article: nothing to score
        // The predicted story holding most of the gold story's articles stands for it;
        // strict ">" keeps the first on ties.
        const counts = new Map<number, number>();
        for (const p of paths) {
          const si = predicted.get(p);
          if (si !== undefined) counts.set(si, (counts.get(si) ?? 0) + 1);
        }
        let best = -1;
        let bestCount = 0;
        for (const [si, c] of counts) {
          if (c > bestCount || (c === bestCount && si < best)) {
            best = si;
            bestCount = c;
          }
        }
        const summary = best < 0 ? "" : (digest.stories[best].summary ?? []).map((s) => s.text).join(" ");
        const r = rougeScores(summary, reference);
        sums.rouge1 += r.rouge1;
        sums.rouge2 += r.rouge2;
        sums.rougeL += r.rougeL;
        n++;
      }
      rouge = n === 0
        ? { rouge1: 0, rouge2: 0, rougeL: 0, stories: 0 }
        : { rouge1: sums.rouge1 / n, rouge2: sums.rouge2 / n, rougeL: sums.rougeL / n, stories: n };
    }

    let dup: DuplicateScores | null = null;
    if (duplicates) {
      const goldPairs = new Map(Object.entries(duplicates).map(([c, o]) => [normPath(c), normPath(o)] as const));
      // Rate over every labelled article, flagged or not, so corpora of different sizes compare.
      dup = duplicateMetrics(flags, goldPairs, gold.keys());
    }

    if (opts.keep) console.error(`kept digest output for ${corpusArg} in ${out}`);
    return {
      corpus: corpusArg,
      buildSeconds,
      digestStories: digest.stories.length,
      rejected: digest.rejected?.length ?? 0,
      clustering,
      rouge,
      duplicates: dup,
    };
  } finally {
    if (!opts.keep) await rm(out, { recursive: true, force: true });
  }
}

const f3 = (x: number) => x.toFixed(3);
const prf = (m: { precision: number; recall: number; f1: number }) =>
  `P ${f3(m.precision)}  R ${f3(m.recall)}  F1 ${f3(m.f1)}`;

function report(r: CorpusResult): string {
  const c = r.clustering;
  const lines = [
    `== ${r.corpus}`,
    `stories    predicted ${c.predictedClusters} / gold ${c.goldClusters}` +
      `  (digest: ${r.digestStories} stories, ${r.rejected} rejected; ${c.items} articles scored` +
      `${c.missing ? `, ${c.missing} not in digest` : ""})`,
    `B-cubed    ${prf(c.bcubed)}`,
    `pairwise   ${prf(c.pairwise)}`,
    `ARI        ${f3(c.ari)}`,
  ];
  if (r.rouge) {
    lines.push(
      `ROUGE F1   R1 ${f3(r.rouge.rouge1)}  R2 ${f3(r.rouge.rouge2)}  RL ${f3(r.rouge.rougeL)}` +
        `  (${r.rouge.stories} stories with a reference)`,
    );
  }
  if (r.duplicates) {
    const d = r.duplicates;
    lines.push(
      `duplicates copy recall ${f3(d.copyRecall)} (${d.found}/${d.pairs})` +
        `  false-duplicate rate ${f3(d.falseDuplicateRate)} (${d.falseFlags}/${d.scored})` +
        `  original kept ${d.rightWay}/${d.found}`,
    );
  }
  lines.push(`build      ${r.buildSeconds.toFixed(2)} s wall (digest CLI, incl. tsx startup)`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const results: CorpusResult[] = [];
  // One corpus at a time so build times are not skewed by builds competing for CPU.
  for (const corpus of opts.corpora) {
    const r = await evalCorpus(corpus, opts);
    results.push(r);
    if (!opts.json) console.log(report(r) + "\n");
  }
  if (opts.json) console.log(JSON.stringify(results, null, 2));
}

main().catch((e: unknown) => {
  console.error(e instanceof EvalError ? `eval: ${e.message}` : e);
  process.exit(1);
});
