// The static-export CLI, run as a user runs it: on corpus/, into a temp folder.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync, mkdirSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

function runCli(corpus: string, out: string, extra: string[] = []): string {
  return execFileSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "scripts/digest.ts"), "--corpus", corpus, "--out", out, ...extra], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, SOURCE_DATE_EPOCH: "" },
  });
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

describe("npm run digest", () => {
  it("writes all six outputs for corpus/ and a digest.json that satisfies contract v1", () => {
    const out = mkdtempSync(join(tmpdir(), "digest-"));
    const summary = runCli(join(root, "corpus"), out, ["--site-url", "https://news.example.org"]);
    expect(summary).toMatch(/5 files read, \d+ stories, \d+ duplicates, 0 rejected, [\d.]+s/);
    for (const name of ["index.html", "rss.xml", "atom.xml", "feed.json", "digest.json"]) expect(existsSync(join(out, name)), name).toBe(true);
    const digest = JSON.parse(readFileSync(join(out, "digest.json"), "utf8"));
    expect(digest.version).toBe(1);
    expect(digest.generatedAt).toMatch(RFC3339);
    expect(typeof digest.fingerprint).toBe("string");
    expect(Array.isArray(digest.rejected)).toBe(true);
    const seen = new Map<string, number>();
    for (const story of digest.stories) {
      expect(story.id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(story.url).toBe(`https://news.example.org/stories/${story.id}`);
      expect(typeof story.title).toBe("string");
      for (const date of [story.published, story.updated]) if (date !== null) expect(date).toMatch(RFC3339);
      expect(existsSync(join(out, "stories", `${story.id}.html`))).toBe(true);
      const ids = new Set(story.articles.map((a: { id: string }) => a.id));
      for (const sentence of story.summary) {
        expect(typeof sentence.text).toBe("string");
        for (const id of sentence.articles) expect(ids.has(id)).toBe(true);
      }
      for (const article of story.articles) {
        seen.set(article.path, (seen.get(article.path) ?? 0) + 1);
        expect(typeof article.id).toBe("string");
        expect(article.title.length).toBeGreaterThan(0);
        if (article.published !== null) expect(article.published).toMatch(RFC3339);
        if (article.duplicateOf !== null) expect(ids.has(article.duplicateOf)).toBe(true);
      }
    }
    // Every accepted file is in exactly one story.
    const files = readdirSync(join(root, "corpus")).sort();
    expect([...seen.keys()].sort()).toEqual(files);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it("gives the same bytes for the same corpus, and reads nested folders", () => {
    const corpus = mkdtempSync(join(tmpdir(), "corpus-"));
    mkdirSync(join(corpus, "world"));
    for (const name of readdirSync(join(root, "corpus"))) writeFileSync(join(corpus, "world", name), readFileSync(join(root, "corpus", name)));
    const first = mkdtempSync(join(tmpdir(), "out-"));
    const second = mkdtempSync(join(tmpdir(), "out-"));
    runCli(corpus, first, ["--generated-at", "2024-07-29T00:00:00Z"]);
    runCli(corpus, second, ["--generated-at", "2024-07-29T00:00:00Z"]);
    for (const name of ["rss.xml", "atom.xml", "feed.json", "digest.json", "index.html"]) {
      expect(readFileSync(join(second, name), "utf8"), name).toBe(readFileSync(join(first, name), "utf8"));
    }
    const digest = JSON.parse(readFileSync(join(first, "digest.json"), "utf8"));
    expect(digest.stories.flatMap((s: { articles: { path: string }[] }) => s.articles.map((a) => a.path)).every((p: string) => p.startsWith("world/"))).toBe(true);
  });

  it("with --ignore-mtime, gives the same bytes whatever the files' times (how the eval scores a copied folder)", () => {
    const copies = [0, 1].map((copy) => {
      const corpus = mkdtempSync(join(tmpdir(), "corpus-"));
      readdirSync(join(root, "corpus")).forEach((name, i) => {
        writeFileSync(join(corpus, name), readFileSync(join(root, "corpus", name)));
        // The second copy's files were copied over several days, in another order.
        const seconds = copy === 0 ? 1_700_000_000 : 1_700_000_000 + (5 - i) * 86_400;
        utimesSync(join(corpus, name), seconds, seconds);
      });
      return corpus;
    });
    const build = (corpus: string, extra: string[]): string => {
      const out = mkdtempSync(join(tmpdir(), "out-"));
      runCli(corpus, out, ["--generated-at", "2024-07-29T00:00:00Z", ...extra]);
      return readFileSync(join(out, "digest.json"), "utf8");
    };
    expect(build(copies[1], ["--ignore-mtime"])).toBe(build(copies[0], ["--ignore-mtime"]));
    // Without the flag the times are the untitled articles' fallback dates, so the digests differ.
    expect(build(copies[1], [])).not.toBe(build(copies[0], []));
  });

  it("with --max-articles, covers the newest files by modification time, as the Worker covers the newest uploads", () => {
    const corpus = mkdtempSync(join(tmpdir(), "corpus-"));
    const names = readdirSync(join(root, "corpus")).sort();
    names.forEach((name, i) => {
      writeFileSync(join(corpus, name), readFileSync(join(root, "corpus", name)));
      // The last file by name is the oldest.
      const seconds = 1_700_000_000 - i * 86_400;
      utimesSync(join(corpus, name), seconds, seconds);
    });
    const paths = (extra: string[]): string[] => {
      const out = mkdtempSync(join(tmpdir(), "out-"));
      runCli(corpus, out, extra);
      const digest = JSON.parse(readFileSync(join(out, "digest.json"), "utf8"));
      return digest.stories.flatMap((s: { articles: { path: string }[] }) => s.articles.map((a) => a.path)).sort();
    };
    expect(paths(["--max-articles", "3"])).toEqual(names.slice(0, 3));
    expect(paths([])).toEqual(names);
    expect(() => runCli(corpus, mkdtempSync(join(tmpdir(), "out-")), ["--max-articles", "none"])).toThrow();
  });

  it("exits non-zero when it cannot write its output", () => {
    const out = mkdtempSync(join(tmpdir(), "out-"));
    writeFileSync(join(out, "blocker"), "a file where a folder should be");
    expect(() => runCli(join(root, "corpus"), join(out, "blocker", "site"))).toThrow();
  });
});
