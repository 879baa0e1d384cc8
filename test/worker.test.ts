// End to end inside workerd: seeds in R2 → scheduled() → every route as a reader meets it.
import { env } from "cloudflare:workers";
import { XMLParser } from "fast-xml-parser";
import { beforeEach, describe, expect, it } from "vitest";
import { rebuild } from "../src/rebuild";
import { BASE, SEEDS, clearStorage, get, instrument, putArticles, runCron, snapshotKv } from "./helpers";


interface DigestJson {
  version: number;
  generatedAt: string;
  fingerprint: string;
  stories: {
    id: string;
    title: string;
    url: string;
    published: string | null;
    updated: string | null;
    summary: { text: string; articles: string[] }[];
    articles: { id: string; path: string; title: string; source: string | null; published: string | null; duplicateOf: string | null }[];
  }[];
  rejected: { path: string; reason: string }[];
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" });
const asArray = <T,>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

describe("the digest Worker on the seed corpus", () => {
  beforeEach(async () => {
    await clearStorage();
    await putArticles(SEEDS);
    await runCron();
  });

  it("groups the five reports of the same talks into one story with five sources", async () => {
    const response = await get("/digest.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const digest = (await response.json()) as DigestJson;
    expect(digest.version).toBe(1);
    expect(digest.stories).toHaveLength(1);
    const [story] = digest.stories;
    expect(story.articles.map((a) => a.path).sort()).toEqual(Object.keys(SEEDS).sort());
    expect(story.url).toBe(`${BASE}/stories/${story.id}`);
    expect(story.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(story.summary.length).toBeGreaterThanOrEqual(2);
    const ids = new Set(story.articles.map((a) => a.id));
    for (const sentence of story.summary) {
      expect(sentence.articles.length).toBeGreaterThan(0);
      for (const id of sentence.articles) expect(ids.has(id)).toBe(true);
    }
    expect(digest.rejected).toEqual([]);
  });

  it("serves the front page and the story page as HTML that links the feeds", async () => {
    const front = await get("/");
    expect(front.status).toBe(200);
    expect(front.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await front.text();
    expect(html).toContain('rel="alternate"');
    expect(html).toMatch(/application\/rss\+xml/);
    expect(html).toMatch(/application\/atom\+xml/);
    const digest = (await (await get("/digest.json")).json()) as DigestJson;
    const story = digest.stories[0];
    expect(html).toContain(`/stories/${story.id}`);
    const page = await get(`/stories/${story.id}`);
    expect(page.status).toBe(200);
    const storyHtml = await page.text();
    for (const article of story.articles) expect(storyHtml).toContain(`id="${article.id}"`);
    expect(storyHtml).not.toMatch(/Related Posts|POPULAR ARTICLE|ACCESS RANKING|Follow us/);
    // The month the story was first reported in has an archive page listing it.
    const archive = await get(`/archive/${story.published!.slice(0, 7)}`);
    expect(archive.status).toBe(200);
    expect(await archive.text()).toContain(`/stories/${story.id}`);
  });

  it("serves RSS and Atom that an independent XML parser reads, and JSON Feed 1.1", async () => {
    const rss = await get("/rss.xml");
    expect(rss.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    const channel = xml.parse(await rss.text()).rss.channel;
    const items = asArray(channel.item);
    expect(items).toHaveLength(1);
    expect(items[0].guid["@isPermaLink"]).toBe("false");

    const atom = await get("/atom.xml");
    expect(atom.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(asArray(xml.parse(await atom.text()).feed.entry)).toHaveLength(1);

    const json = await get("/feed.json");
    expect(json.headers.get("content-type")).toBe("application/feed+json; charset=utf-8");
    const feed = (await json.json()) as { version: string; items: { id: string; title: string }[] };
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.items).toHaveLength(1);
  });

  it("answers HEAD with headers only, and unknown paths with 404", async () => {
    for (const path of ["/", "/rss.xml", "/atom.xml", "/feed.json", "/digest.json", "/healthz"]) {
      const response = await get(path, { method: "HEAD" });
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toBe("");
    }
    expect((await get("/no-such-page")).status).toBe(404);
    expect((await get("/stories/nope")).status).toBe(404);
    expect((await get("/archive/1999-01")).status).toBe(404);
  });

  it("reports the live build on /healthz", async () => {
    const response = await get("/healthz");
    expect(response.status).toBe(200);
    const health = (await response.json()) as Record<string, unknown>;
    expect(health.buildId).toBeTruthy();
    expect(health.fingerprint).toBeTruthy();
    expect(health.stories).toBe(1);
    expect(health.articles).toBe(5);
    expect(health.rejected).toEqual([]);
    expect(health.lastError).toBeNull();
  });

  it("writes nothing when the cron runs on an unchanged corpus", async () => {
    const before = await snapshotKv();
    await runCron();
    expect(await snapshotKv()).toEqual(before);
    // Same values could also be rewritten: count the calls too.
    const kv = instrument(env.DIGEST, ["put", "delete"]);
    const r2 = instrument(env.CORPUS, ["get"]);
    expect((await rebuild({ ...env, DIGEST: kv.binding, CORPUS: r2.binding })).status).toBe("unchanged");
    expect(kv.calls).toEqual({ put: 0, delete: 0 });
    expect(r2.calls.get).toBe(0);
  });

  it("publishes a new build in which an added article appears", async () => {
    const before = (await (await get("/healthz")).json()) as { buildId: string };
    await putArticles({ "extra/quake.md": "---\ntitle: Strong earthquake shakes Chilean coast\ndate: 2024-08-02\nsource: Example Wire\n---\n\nA magnitude 6.8 earthquake struck off the coast of northern Chile on Friday, officials said, damaging roads in Antofagasta.\n\nNo deaths were reported, and a tsunami warning was lifted after an hour.\n" });
    await runCron();
    const after = (await (await get("/healthz")).json()) as { buildId: string; articles: number };
    expect(after.buildId).not.toBe(before.buildId);
    expect(after.articles).toBe(6);
    const digest = (await (await get("/digest.json")).json()) as DigestJson;
    const quake = digest.stories.find((s) => s.articles.some((a) => a.path === "extra/quake.md"));
    expect(quake?.title).toBe("Strong earthquake shakes Chilean coast");
    expect(quake?.articles[0].source).toBe("Example Wire");
  });

  it("keeps the previous digest online when a build throws", async () => {
    const before = await get("/");
    const etag = before.headers.get("etag");
    const body = await before.text();
    await putArticles({ "late.txt": "Another report\n\nSomething else happened today in the city, officials said on Monday.\n" });
    const result = await rebuild(env, {
      build: () => {
        throw new Error("injected stage failure");
      },
    });
    expect(result.status).toBe("failed");
    const after = await get("/");
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).toBe(etag);
    expect(await after.text()).toBe(body);
    const health = (await (await get("/healthz")).json()) as { lastError: { message: string } | null };
    expect(health.lastError?.message).toContain("injected stage failure");
    // The next cron recovers and clears the error.
    await runCron();
    const recovered = (await (await get("/healthz")).json()) as { lastError: unknown; articles: number };
    expect(recovered.lastError).toBeNull();
    expect(recovered.articles).toBe(6);
  });
});

describe("first start", () => {
  it("builds and publishes on the first request when nothing is published yet", async () => {
    await clearStorage();
    await putArticles(SEEDS);
    const response = await get("/");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<h1");
    expect(((await (await get("/healthz")).json()) as { stories: number }).stories).toBe(1);
  });
});
