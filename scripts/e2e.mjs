#!/usr/bin/env node
// End-to-end test: the real Worker under `wrangler dev`, read by independent clients.
//
//   npm run test:e2e            (E2E_KEEP=1 keeps the temp dir; E2E_PYTHON overrides /usr/bin/python3)
//
// 1. Loads a copy of corpus/ into a private persist dir (`scripts/corpus-sync.mjs --persist-to`,
//    the state `wrangler dev --persist-to <tmp>/state` reads) and starts `wrangler dev` on a free
//    port with SITE_URL pointing at it. The server is always stopped at the end, also on failure, timeout or Ctrl-C.
// 2. Feeds: feedparser (python) reads RSS and Atom, @extractus/feed-extractor and ajv (against
//    test/e2e/jsonfeed-1.1.schema.json) read the JSON Feed, xmllint checks the XML, and newsboat
//    subscribes to RSS and Atom; then a copy of a seed is added to the corpus, the cron is run via
//    /__scheduled, and newsboat must see no duplicate item.
// 3. Browser (playwright-core + /usr/bin/chromium): see test/e2e/browser.mjs. Screenshots go
//    to test-results/.
// Prints PASS/FAIL per check and finally "N passed, N failed"; exits 1 on any failure.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { copyFile, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import { extract } from "@extractus/feed-extractor";
import { browserChecks, closeActiveBrowser } from "../test/e2e/browser.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(ROOT);
const E2E_DIR = join(ROOT, "test", "e2e");
const RESULTS_DIR = join(ROOT, "test-results");
const PYTHON = process.env.E2E_PYTHON || "/usr/bin/python3";
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const CRON = "*/15 * * * *";
const TOTAL_BUDGET_MS = 150_000;
const started = Date.now();

// ---------------------------------------------------------------- reporting

const results = [];
/** Set once Ctrl-C or the time budget stops the run (see emergencyStop). */
let stopping = false;

/** Runs one check: fn returns a detail string (PASS) or throws (FAIL). Returns true on PASS. */
async function check(name, fn, { timeoutMs = 30_000 } = {}) {
  let timer;
  const t0 = Date.now();
  try {
    const detail = await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000}s`)), timeoutMs);
      }),
    ]);
    results.push({ name, ok: true });
    console.log(`PASS  ${name}${detail ? ` — ${detail}` : ""} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    return true;
  } catch (error) {
    if (stopping) return false; // the interruption is reported once, by emergencyStop()
    results.push({ name, ok: false });
    const message = error instanceof Error ? error.message : String(error);
    console.log(`FAIL  ${name} — ${message.replace(/\n/g, "\n      ")}`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function summaryLine() {
  const passed = results.filter((r) => r.ok).length;
  return `${passed} passed, ${results.length - passed} failed`;
}

// ---------------------------------------------------------------- processes

/** Children started by run(), each in its own process group, killed on timeout or Ctrl-C. */
const children = new Set();

/** Runs a command without a shell and never throws: { code, stdout, stderr }; code is null on timeout. */
function run(command, args, { timeoutMs = 30_000, cwd = ROOT, env = process.env } = {}) {
  return new Promise((resolveRun) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let child;
    try {
      child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      resolveRun({ code: null, stdout, stderr: String(error) });
      return;
    }
    children.add(child);
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child);
    }, timeoutMs);
    const finish = (code, note = "") => {
      clearTimeout(timer);
      children.delete(child);
      killTree(child); // grandchildren (e.g. workerd under getPlatformProxy) must not outlive it
      resolveRun({ code: timedOut ? null : code, stdout, stderr: stderr + note + (timedOut ? `\n${command} timed out after ${timeoutMs / 1000}s` : "") });
    };
    child.on("error", (error) => finish(null, `\n${error.message}`));
    child.on("close", (code) => finish(code));
  });
}

function killTree(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    /* group already gone */
  }
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

let dev = null; // { child, exited: Promise, logPath }

function killGroup(signal) {
  if (!dev || dev.done) return;
  try {
    process.kill(-dev.child.pid, signal); // wrangler runs detached: its group holds workerd too
  } catch {
    try {
      dev.child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

async function stopServer() {
  if (!dev || dev.done) return;
  killGroup("SIGTERM");
  const gone = await Promise.race([dev.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5_000))]);
  if (!gone) {
    killGroup("SIGKILL");
    await Promise.race([dev.exited, new Promise((r) => setTimeout(r, 2_000))]);
  }
  // workerd children may outlive the wrangler process in the same group.
  try {
    process.kill(-dev.child.pid, "SIGKILL");
  } catch {
    /* group empty */
  }
  dev.killedOnExit = true; // nothing left for the exit hook (and never signal a reused group id)
}

process.on("exit", () => {
  for (const child of children) killTree(child);
  if (dev && !dev.killedOnExit) {
    dev.killedOnExit = true;
    try {
      process.kill(-dev.child.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
});
let workDir = null; // removed at the end (kept with E2E_KEEP=1)
async function removeWorkDir() {
  if (!workDir || process.env.E2E_KEEP) return;
  await rm(workDir, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
}
/** Ctrl-C, SIGTERM or the time budget: stop everything we started, report, exit. */
async function emergencyStop(reason, exitCode) {
  if (stopping) return;
  stopping = true;
  console.log(`\nFAIL  e2e run — ${reason}; stopping wrangler dev, browser and helpers`);
  results.push({ name: "e2e run", ok: false });
  for (const child of children) killTree(child);
  await Promise.all([stopServer().catch(() => {}), closeActiveBrowser()]);
  await removeWorkDir();
  console.log(summaryLine());
  process.exit(exitCode);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => emergencyStop(`interrupted by ${signal}`, 130));
}

function startServer({ persistDir, port, inspectorPort, base, logPath }) {
  const log = openSync(logPath, "a");
  const child = spawn(
    process.execPath,
    [
      WRANGLER,
      "dev",
      "--persist-to", persistDir,
      "--port", String(port),
      "--ip", "127.0.0.1",
      "--inspector-port", String(inspectorPort),
      "--test-scheduled",
      "--var", `SITE_URL:${base}`,
      "--show-interactive-dev-session=false",
    ],
    {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", log, log],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_LOG: "info", NO_COLOR: "1", FORCE_COLOR: "0" },
    },
  );
  closeSync(log);
  dev = { child, logPath, done: false };
  dev.exited = new Promise((r) => child.on("exit", (code, signal) => {
    dev.done = true;
    dev.exitInfo = signal ?? code;
    r();
  }));
}

function devLogTail(lines = 40) {
  try {
    return readFileSync(dev.logPath, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

// ---------------------------------------------------------------- HTTP

let BASE = "";

async function get(path, { headers = {}, timeoutMs = 20_000, method = "GET" } = {}) {
  const url = path.startsWith("http") ? path : `${BASE}${path}`;
  const response = await fetch(url, { method, headers, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  const body = method === "HEAD" ? "" : await response.text();
  return { status: response.status, headers: response.headers, body, url };
}

async function getJson(path) {
  const response = await get(path, { headers: { Accept: "application/json" } });
  assert(response.status === 200, `${path}: HTTP ${response.status}: ${response.body.slice(0, 300)}`);
  return JSON.parse(response.body);
}

async function waitUntilAnswering(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (dev.done) throw new Error(`wrangler dev exited (${dev.exitInfo}) before answering:\n${devLogTail()}`);
    try {
      const response = await get("/healthz", { timeoutMs: 3_000 });
      return response.status;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no answer on ${BASE} within ${timeoutMs / 1000}s (last error: ${last}):\n${devLogTail()}`);
}

// ---------------------------------------------------------------- corpus

/**
 * Syncs a corpus folder into the CORPUS bucket of the persist dir with the project's own
 * `scripts/corpus-sync.mjs` (a separate process: importing wrangler here would install its own
 * exiting SIGINT handler). Returns its one-line summary.
 */
async function syncCorpus(corpusDir, persistDir) {
  const out = await run(process.execPath, [join(ROOT, "scripts", "corpus-sync.mjs"), "--corpus", corpusDir, "--persist-to", persistDir], {
    timeoutMs: 60_000,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  assert(out.code === 0, `corpus-sync.mjs exited ${out.code}: ${out.stderr.trim().split("\n").slice(-15).join("\n")}`);
  return out.stdout.trim().split("\n").pop();
}

// ---------------------------------------------------------------- newsboat

const NEWSBOAT_CONFIG = `# e2e: never touch the user's newsboat files, never wait long
auto-reload no
reload-threads 1
download-timeout 15
download-retries 1
show-read-feeds yes
cleanup-on-quit no
max-items 0
user-agent news-digest-e2e (newsboat)
`;

async function newsboatProfile(root, name, urls) {
  const dir = join(root, "newsboat", name);
  await mkdir(dir, { recursive: true });
  const profile = {
    name,
    dir,
    urls,
    urlsFile: join(dir, "urls"),
    cache: join(dir, "cache.db"),
    config: join(dir, "config"),
    errorLog: join(dir, "error.log"),
  };
  await writeFile(profile.urlsFile, urls.join("\n") + "\n");
  await writeFile(profile.config, `${NEWSBOAT_CONFIG}error-log "${profile.errorLog}"\n`);
  return profile;
}

/** `newsboat -x reload` with a private HOME, then the cache's items via python's sqlite3. */
async function newsboatReload(profile) {
  const env = {
    PATH: process.env.PATH,
    HOME: profile.dir,
    XDG_CONFIG_HOME: join(profile.dir, "xdg-config"),
    XDG_DATA_HOME: join(profile.dir, "xdg-data"),
    TERM: "dumb",
    LANG: "C.UTF-8",
  };
  const reload = await run("newsboat", ["-u", profile.urlsFile, "-c", profile.cache, "-C", profile.config, "-x", "reload"], { env, timeoutMs: 40_000, cwd: profile.dir });
  assert(reload.code === 0, `newsboat -x reload exited ${reload.code}: ${reload.stderr.trim() || reload.stdout.trim()}`);
  let errors = "";
  try {
    errors = (await readFile(profile.errorLog, "utf8")).trim();
  } catch {
    /* no error log: no errors */
  }
  assert(!errors, `newsboat logged errors: ${errors}`);
  const dump = await run(PYTHON, [join(E2E_DIR, "newsboat_items.py"), profile.cache], { timeoutMs: 15_000 });
  assert(dump.code === 0, `reading the newsboat cache failed: ${dump.stderr.trim()}`);
  const cache = JSON.parse(dump.stdout);
  return cache.items.filter((item) => !item.deleted);
}

/** Stories the feeds carry: the newest FEED_ITEMS (50, src/render/feeds.ts) in digest order. */
function feedStories(digest) {
  return digest.stories.slice(0, 50);
}

/** Every story in the feed window exactly once: one item per story URL (the guid), nothing else. */
function assertOneItemPerStory(items, digest, label) {
  const stories = new Map(feedStories(digest).map((s) => [s.url, s]));
  const counts = new Map();
  for (const item of items) counts.set(item.guid, (counts.get(item.guid) ?? 0) + 1);
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([guid, n]) => `${guid} ×${n}`);
  const missing = [...stories.keys()].filter((url) => !counts.has(url));
  const unknown = [...counts.keys()].filter((guid) => !stories.has(guid));
  const wrongTitle = items
    .filter((item) => stories.has(item.guid) && item.title.replace(/\s+/g, " ").trim() !== stories.get(item.guid).title.replace(/\s+/g, " ").trim())
    .map((item) => `${item.guid}: "${item.title}"`);
  const problems = [];
  if (items.length !== stories.size) problems.push(`${items.length} items for ${stories.size} stories`);
  if (duplicated.length) problems.push(`duplicate items: ${duplicated.join(", ")}`);
  if (missing.length) problems.push(`stories missing: ${missing.join(", ")}`);
  if (unknown.length) problems.push(`items that are no story: ${unknown.join(", ")}`);
  if (wrongTitle.length) problems.push(`titles differ from digest.json: ${wrongTitle.join("; ")}`);
  assert(problems.length === 0, `${label}: ${problems.join("; ")}`);
}

// ---------------------------------------------------------------- checks

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function checkDigestContract(digest, seedKeys) {
  const problems = [];
  if (digest.version !== 1) problems.push(`version ${digest.version}`);
  if (!RFC3339.test(digest.generatedAt ?? "")) problems.push(`generatedAt ${digest.generatedAt}`);
  if (!Array.isArray(digest.stories) || digest.stories.length < 1) problems.push("no stories");
  const seen = new Map();
  const storyIds = new Set();
  for (const story of digest.stories ?? []) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(story.id)) problems.push(`story id ${story.id} is not URL-safe`);
    if (storyIds.has(story.id)) problems.push(`story id ${story.id} twice`);
    storyIds.add(story.id);
    if (story.url !== `${BASE}/stories/${story.id}`) problems.push(`story ${story.id} url ${story.url} is not ${BASE}/stories/${story.id}`);
    if (!story.title?.trim()) problems.push(`story ${story.id} has no title`);
    for (const key of ["published", "updated"]) {
      if (story[key] !== null && !RFC3339.test(story[key] ?? "")) problems.push(`story ${story.id} ${key} ${story[key]}`);
    }
    if (!story.articles?.length) problems.push(`story ${story.id} has no articles`);
    const articleIds = new Set((story.articles ?? []).map((a) => a.id));
    for (const sentence of story.summary ?? []) {
      for (const id of sentence.articles) if (!articleIds.has(id)) problems.push(`story ${story.id}: summary cites ${id}, not one of its articles`);
    }
    for (const article of story.articles ?? []) {
      seen.set(article.path, (seen.get(article.path) ?? 0) + 1);
      if (article.duplicateOf !== null && !articleIds.has(article.duplicateOf)) problems.push(`${article.path}: duplicateOf ${article.duplicateOf} is not in its story`);
    }
  }
  const rejected = new Set((digest.rejected ?? []).map((r) => r.path));
  for (const key of seedKeys) {
    const n = (seen.get(key) ?? 0) + (rejected.has(key) ? 1 : 0);
    if (n !== 1) problems.push(`${key} appears ${n} times (stories + rejected), expected exactly once`);
  }
  for (const key of seen.keys()) if (!seedKeys.includes(key)) problems.push(`${key} is in the digest but not in the corpus`);
  if (digest.meta.siteUrl !== BASE) problems.push(`meta.siteUrl ${digest.meta.siteUrl} != ${BASE} (--var SITE_URL)`);
  assert(problems.length === 0, problems.join("; "));
}

async function main() {
  const work = await mkdtemp(join(tmpdir(), "news-digest-e2e-"));
  workDir = work;
  const persistDir = join(work, "state");
  const logPath = join(work, "wrangler-dev.log");
  const watchdog = setTimeout(() => emergencyStop(`exceeded the total budget of ${TOTAL_BUDGET_MS / 1000}s`, 1), TOTAL_BUDGET_MS);
  watchdog.unref();

  try {
    // ---- setup: corpus → private persist dir → wrangler dev
    // A private copy of corpus/, so the rebuild check below can add a file to it. The seeds are
    // one story; an unrelated (and hostile) Markdown report makes a second, so the feeds' and
    // front page's ordering and distinct-id checks compare stories instead of passing on one.
    const corpusDir = join(work, "corpus");
    await cp(join(ROOT, "corpus"), corpusDir, { recursive: true });
    await mkdir(join(corpusDir, "other"), { recursive: true });
    await copyFile(join(ROOT, "test", "fixtures", "ingest", "front-matter.md"), join(corpusDir, "other", "bridge.md"));
    const seedKeys = (await readdir(corpusDir, { recursive: true }))
      .filter((path) => /\.(txt|md|markdown)$/i.test(path))
      .map((path) => path.split(sep).join("/"))
      .sort();
    const seedCount = seedKeys.length;
    const loaded = await check("setup: load corpus/ into a private R2 (npm run corpus:sync --persist-to)", async () => {
      const summary = await syncCorpus(corpusDir, persistDir);
      assert(summary.includes(`${seedCount} added, 0 updated, 0 unchanged`), summary);
      return `${summary} (${join(persistDir, "v3")})`;
    }, { timeoutMs: 60_000 });
    if (!loaded) return;

    const port = await freePort();
    const inspectorPort = await freePort();
    BASE = `http://127.0.0.1:${port}`;
    const up = await check("setup: wrangler dev answers", async () => {
      startServer({ persistDir, port, inspectorPort, base: BASE, logPath });
      const status = await waitUntilAnswering(45_000);
      return `${BASE} (persist ${persistDir}, first /healthz HTTP ${status})`;
    }, { timeoutMs: 50_000 });
    if (!up) return;

    let digest;
    const built = await check("digest.json: contract, every seed in exactly one story", async () => {
      digest = await getJson("/digest.json"); // the first request builds and publishes
      checkDigestContract(digest, seedKeys);
      const health = await getJson("/healthz");
      assert(health.lastError === null, `/healthz lastError: ${JSON.stringify(health.lastError)}`);
      assert(health.articles === seedKeys.length, `/healthz counts ${health.articles} articles, corpus has ${seedKeys.length}`);
      const sizes = digest.stories.map((s) => s.articles.length).join("+");
      return `${digest.stories.length} stor${digest.stories.length === 1 ? "y" : "ies"} (${sizes} articles), ${digest.rejected.length} rejected`;
    }, { timeoutMs: 40_000 });
    if (!built) return;
    const storyCount = digest.stories.length;
    const feedCount = feedStories(digest).length;

    await check("HTTP: content types, ETag, 304, 404", async () => {
      const expected = {
        "/": "text/html; charset=utf-8",
        "/rss.xml": "application/rss+xml; charset=utf-8",
        "/atom.xml": "application/atom+xml; charset=utf-8",
        "/feed.json": "application/feed+json; charset=utf-8",
        "/digest.json": "application/json; charset=utf-8",
        [new URL(digest.stories[0].url).pathname]: "text/html; charset=utf-8",
      };
      const problems = [];
      for (const [path, type] of Object.entries(expected)) {
        const response = await get(path);
        if (response.status !== 200) problems.push(`${path}: HTTP ${response.status}`);
        if (response.headers.get("content-type") !== type) problems.push(`${path}: Content-Type ${response.headers.get("content-type")}, expected ${type}`);
        const etag = response.headers.get("etag");
        if (!etag) problems.push(`${path}: no ETag`);
        else {
          const again = await get(path, { headers: { "If-None-Match": etag } });
          if (again.status !== 304) problems.push(`${path}: If-None-Match with its ETag gave HTTP ${again.status}, expected 304`);
        }
      }
      const missing = await get("/stories/no-such-story-e2e");
      if (missing.status !== 404) problems.push(`/stories/no-such-story-e2e: HTTP ${missing.status}, expected 404`);
      assert(problems.length === 0, problems.join("; "));
      return `${Object.keys(expected).length} routes`;
    });

    // ---- XML feeds: xmllint
    const feedDir = join(work, "feeds");
    await mkdir(feedDir, { recursive: true });
    for (const name of ["rss.xml", "atom.xml"]) {
      await check(`xmllint --noout ${name}`, async () => {
        const response = await get(`/${name}`);
        assert(response.status === 200, `HTTP ${response.status}`);
        const file = join(feedDir, name);
        await writeFile(file, response.body);
        const lint = await run("xmllint", ["--noout", "--nonet", file], { timeoutMs: 15_000 });
        assert(lint.code === 0, `xmllint exited ${lint.code}:\n${lint.stderr.trim()}`);
        return `well-formed (${response.body.length} bytes)`;
      });
    }

    // ---- feedparser (python) on RSS and Atom
    const feedparserVerdicts = async (when) => {
      const out = await run(PYTHON, [join(E2E_DIR, "feeds.py"), BASE], { timeoutMs: 30_000 });
      const verdicts = new Map();
      for (const line of out.stdout.split("\n")) {
        const match = /^VERDICT (\w+) (PASS|FAIL) (.*)$/.exec(line);
        if (match) verdicts.set(match[1], { ok: match[2] === "PASS", detail: match[3] });
      }
      for (const kind of ["rss", "atom"]) {
        await check(`feedparser ${kind}.xml${when}`, async () => {
          const verdict = verdicts.get(kind);
          assert(verdict, `feeds.py gave no verdict (exit ${out.code}): ${out.stderr.trim() || out.stdout.trim()}`);
          assert(verdict.ok, verdict.detail);
          return verdict.detail;
        });
      }
    };
    await feedparserVerdicts("");

    // ---- JSON Feed: ajv schema + @extractus/feed-extractor
    const feedUrl = `${BASE}/feed.json`;
    await check("feed.json: JSON Feed 1.1 schema (ajv) and digest.json agreement", async () => {
      const schema = JSON.parse(await readFile(join(E2E_DIR, "jsonfeed-1.1.schema.json"), "utf8"));
      // strictRequired off: the spec's "one of these keys" rules are anyOf-of-required over parent properties.
      const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
      const validate = ajv.compile(schema);
      const response = await get("/feed.json");
      assert(response.status === 200, `HTTP ${response.status}`);
      const feed = JSON.parse(response.body);
      const problems = [];
      if (!validate(feed)) {
        problems.push(...validate.errors.map((e) => `schema: ${e.instancePath || "/"} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ""}`));
      }
      if (feed.feed_url !== feedUrl) problems.push(`feed_url ${feed.feed_url}, served at ${feedUrl}`);
      if (feed.home_page_url !== `${BASE}/`) problems.push(`home_page_url ${feed.home_page_url}, expected ${BASE}/`);
      const items = feed.items ?? [];
      if (items.length !== feedCount) problems.push(`${items.length} items for ${feedCount} stories in the feed window`);
      const ids = items.map((i) => i.id);
      if (new Set(ids).size !== ids.length) problems.push("item ids are not unique");
      for (const story of feedStories(digest)) {
        const item = items.find((i) => i.id === story.url);
        if (!item) {
          problems.push(`no item with id ${story.url}`);
          continue;
        }
        if (item.url !== story.url) problems.push(`${story.id}: url ${item.url}`);
        if (item.title !== story.title) problems.push(`${story.id}: title "${item.title}" != "${story.title}"`);
        if (story.published && Date.parse(item.date_published) !== Date.parse(story.published)) problems.push(`${story.id}: date_published ${item.date_published} != ${story.published}`);
        if (story.updated && Date.parse(item.date_modified) !== Date.parse(story.updated)) problems.push(`${story.id}: date_modified ${item.date_modified} != ${story.updated}`);
        for (const key of ["date_published", "date_modified"]) {
          if (item[key] !== undefined && Number.isNaN(Date.parse(item[key]))) problems.push(`${story.id}: ${key} ${item[key]} is not a date`);
        }
      }
      assert(problems.length === 0, problems.join("\n"));
      return `valid JSON Feed 1.1, ${items.length} items = ${feedCount} stories, ids/urls/titles/dates match`;
    });

    await check("feed.json: @extractus/feed-extractor extract()", async () => {
      const parsed = await extract(feedUrl, { descriptionMaxLen: 0, useISODateFormat: true });
      const entries = parsed.entries ?? [];
      const problems = [];
      if (parsed.title !== digest.meta.title) problems.push(`title ${parsed.title}`);
      if (entries.length !== feedCount) problems.push(`${entries.length} entries for ${feedCount} stories in the feed window`);
      for (const story of feedStories(digest)) {
        const entry = entries.find((e) => e.id === story.url);
        if (!entry) {
          problems.push(`no entry with id ${story.url}`);
          continue;
        }
        if (entry.link !== story.url) problems.push(`${story.id}: link ${entry.link}`);
        if (entry.title !== story.title) problems.push(`${story.id}: title "${entry.title}"`);
        if (!entry.description?.trim()) problems.push(`${story.id}: empty description (content_text/content_html)`);
        if (story.published && Date.parse(entry.published) !== Date.parse(story.published)) problems.push(`${story.id}: published ${entry.published} != ${story.published}`);
      }
      assert(problems.length === 0, problems.join("; "));
      return `"${parsed.title}", ${entries.length} entries; ids, links, titles, dates match digest.json`;
    });

    // ---- browser
    await browserChecks({
      base: BASE,
      digest,
      outDir: RESULTS_DIR,
      check: (name, fn) => check(name, fn, { timeoutMs: 45_000 }),
    });

    // ---- newsboat: RSS alone, Atom alone, and both in one cache (same guids → one item each)
    const profiles = [
      await newsboatProfile(work, "rss", [`${BASE}/rss.xml`]),
      await newsboatProfile(work, "atom", [`${BASE}/atom.xml`]),
      await newsboatProfile(work, "rss+atom", [`${BASE}/rss.xml`, `${BASE}/atom.xml`]),
    ];
    const before = new Map();
    for (const profile of profiles) {
      await check(`newsboat ${profile.name}: every story exactly once`, async () => {
        const items = await newsboatReload(profile);
        assertOneItemPerStory(items, digest, profile.name);
        before.set(profile.name, items);
        return `${items.length} items = ${feedCount} stories`;
      }, { timeoutMs: 45_000 });
    }

    // ---- a new source joins an existing story; the cron rebuilds; readers see no new item
    const target = pickJoinTarget(digest);
    const addedKey = `e2e/late-copy-of-${basename(target.original.path)}`;
    let rebuilt;
    const rebuiltOk = await check(`rebuild: a copy of ${target.original.path} joins story ${target.story.id}`, async () => {
      const healthBefore = await getJson("/healthz");
      await mkdir(dirname(join(corpusDir, addedKey)), { recursive: true });
      await copyFile(join(corpusDir, target.original.path), join(corpusDir, addedKey));
      const summary = await syncCorpus(corpusDir, persistDir);
      assert(summary.includes(`1 added, 0 updated, ${seedCount} unchanged`), summary);
      const cron = await get(`/__scheduled?cron=${encodeURIComponent(CRON).replace(/%20/g, "+")}`, { timeoutMs: 30_000 });
      assert(cron.status === 200, `/__scheduled: HTTP ${cron.status}: ${cron.body.slice(0, 300)}`);
      let health;
      const deadline = Date.now() + 15_000;
      do {
        health = await getJson("/healthz");
        if (health.fingerprint !== healthBefore.fingerprint) break;
        await new Promise((r) => setTimeout(r, 250));
      } while (Date.now() < deadline);
      assert(health.fingerprint !== healthBefore.fingerprint, `the cron run did not publish a new build (fingerprint still ${health.fingerprint}; lastError ${JSON.stringify(health.lastError)})`);
      assert(health.lastError === null, `/healthz lastError: ${JSON.stringify(health.lastError)}`);
      assert(health.articles === healthBefore.articles + 1, `/healthz counts ${health.articles} articles, expected ${healthBefore.articles + 1}`);
      rebuilt = await getJson("/digest.json");
      const home = rebuilt.stories.find((s) => s.articles.some((a) => a.path === addedKey));
      assert(home, `${addedKey} is in no story (rejected: ${JSON.stringify(rebuilt.rejected)})`);
      assert(home.id === target.story.id, `${addedKey} landed in story ${home.id}, not in ${target.story.id} with its original`);
      const added = home.articles.find((a) => a.path === addedKey);
      const original = home.articles.find((a) => a.path === target.original.path);
      assert(original && added.duplicateOf === original.id, `${addedKey}: duplicateOf ${added.duplicateOf}, expected ${original?.id}`);
      assert(rebuilt.stories.length === storyCount, `${rebuilt.stories.length} stories after the rebuild, ${storyCount} before`);
      const urlsBefore = digest.stories.map((s) => s.url).sort().join(" ");
      const urlsAfter = rebuilt.stories.map((s) => s.url).sort().join(" ");
      assert(urlsBefore === urlsAfter, "story URLs changed in the rebuild");
      checkDigestContract(rebuilt, [...seedKeys, addedKey]);
      return `duplicateOf ${added.duplicateOf}; story now has ${home.articles.length} sources; still ${storyCount} stories with the same URLs`;
    }, { timeoutMs: 60_000 });

    if (rebuiltOk) {
      for (const profile of profiles) {
        await check(`newsboat ${profile.name} after the rebuild: no duplicate item`, async () => {
          const items = await newsboatReload(profile);
          const count = before.get(profile.name)?.length;
          assert(items.length === count, `${items.length} items after the rebuild, ${count} before`);
          assertOneItemPerStory(items, rebuilt, profile.name);
          return `${items.length} items, same as before`;
        }, { timeoutMs: 45_000 });
      }
      await feedparserVerdicts(" after the rebuild");
    }
  } finally {
    clearTimeout(watchdog);
    if (stopping) await new Promise(() => {}); // emergencyStop() cleans up and exits
    const failed = results.some((r) => !r.ok);
    if (dev) {
      await stopServer();
      if (failed) console.log(`--- last lines of wrangler dev's log (${logPath}) ---\n${devLogTail(30)}\n---`);
    }
    if (process.env.E2E_KEEP) console.log(`kept ${work}`);
    await removeWorkDir();
  }
}

/** The story with the most sources (the seeds' story), whatever order file times give the stories. */
function pickJoinTarget(digest) {
  const story = [...digest.stories].sort((a, b) => b.articles.length - a.articles.length)[0];
  const original = story.articles.find((a) => a.duplicateOf === null) ?? story.articles[0];
  return { story, original };
}

try {
  await main();
} catch (error) {
  if (stopping) await new Promise(() => {});
  await check("e2e run", () => Promise.reject(error));
  await stopServer();
}
console.log(`(${((Date.now() - started) / 1000).toFixed(1)}s; screenshots in ${relative(ROOT, RESULTS_DIR)}/)`);
console.log(summaryLine());
process.exit(results.length > 0 && results.every((r) => r.ok) ? 0 : 1);
