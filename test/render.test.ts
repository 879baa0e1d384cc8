// Renderer tests: feeds parse with an independent parser (fast-xml-parser), hostile text stays
// text everywhere, output is byte-identical for the same digest, pages are accessible and small.
import { describe, it, expect, vi, afterEach } from "vitest";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { renderSite, FRONT_PAGE_STORIES, xmlSafe, escapeHtml, cdata, type RenderedFile } from "../src/render";
import { keptBody } from "../src/pipeline/clean";
import type { DedupedArticle, Digest, Story } from "../src/pipeline/types";
import { FEED_ITEMS } from "../src/render/feeds";
import { outletName } from "../src/render/text";
import seedsJson from "./fixtures/render/seeds-digest.json";

const seeds = seedsJson as unknown as Digest;

// ---------------------------------------------------------------------------------------------
// Helpers

function byPath(files: RenderedFile[]): Map<string, RenderedFile> {
  return new Map(files.map((f) => [f.path, f]));
}

function file(files: RenderedFile[], path: string): string {
  const found = files.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} in ${files.map((f) => f.path).join(", ")}`);
  return found.body;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => ["item", "entry", "link", "atom:link"].includes(name),
});

function parseXml(xml: string): any {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`invalid XML: ${JSON.stringify(valid)}`);
  return parser.parse(xml);
}

/** Text of an element fast-xml-parser returned (string, object with #text when it has attributes, or a one-element array). */
function text(node: unknown): string {
  if (Array.isArray(node)) return node.length === 1 ? text(node[0]) : "";
  if (typeof node === "string") return node;
  if (node && typeof node === "object" && "#text" in node) return String((node as any)["#text"]);
  return "";
}

const FORBIDDEN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Structural facts about an HTML page, collected with workerd's own HTMLRewriter. */
async function inspectHtml(body: string) {
  const facts = {
    h1: 0,
    headings: [] as number[],
    ids: new Set<string>(),
    fragmentLinks: [] as string[],
    supLinks: [] as string[],
    alternates: [] as { type: string | null; href: string | null }[],
    scripts: 0,
    styleAttrs: 0,
    styleElements: 0,
    inlineHandlers: 0,
    landmarks: new Set<string>(),
    hrefs: [] as string[],
    timeValues: [] as string[],
  };
  let inSup = 0;
  await new HTMLRewriter()
    .on("*", {
      element(el) {
        if (el.hasAttribute("id")) facts.ids.add(el.getAttribute("id")!);
        if (el.hasAttribute("style")) facts.styleAttrs++;
        for (const [name] of el.attributes) if (/^on/i.test(name)) facts.inlineHandlers++;
        const m = /^h([1-6])$/.exec(el.tagName);
        if (m) facts.headings.push(Number(m[1]));
        if (el.tagName === "h1") facts.h1++;
        if (el.tagName === "script") facts.scripts++;
        if (el.tagName === "style") facts.styleElements++;
        if (["header", "main", "footer", "nav"].includes(el.tagName)) facts.landmarks.add(el.tagName);
      },
    })
    .on("sup", {
      element(el) {
        inSup++;
        el.onEndTag(() => {
          inSup--;
        });
      },
    })
    .on("a[href]", {
      element(el) {
        const href = el.getAttribute("href")!;
        facts.hrefs.push(href);
        if (href.startsWith("#")) facts.fragmentLinks.push(href.slice(1));
        if (inSup > 0) facts.supLinks.push(href);
      },
    })
    .on('link[rel="alternate"]', {
      element(el) {
        facts.alternates.push({ type: el.getAttribute("type"), href: el.getAttribute("href") });
      },
    })
    .on("time", {
      element(el) {
        facts.timeValues.push(el.getAttribute("datetime") ?? "");
      },
    })
    .transform(new Response(body))
    .text();
  return facts;
}

// ---------------------------------------------------------------------------------------------
// A synthetic digest with duplicates, URLs, missing dates and hostile text.

const NASTY =
  "AT&T <b>bold</b> & <script>alert(1)</script> ]]> then ]]]]> again\u0000\u0007\u000B\u001F \uFFFE\uFFFF lone \uD800 and \uDC00 ok \uD83D\uDE00 end";
const NASTY_SAFE = xmlSafe(NASTY);

function article(id: string, over: Partial<DedupedArticle> = {}): DedupedArticle {
  return {
    id,
    path: `${id}.txt`,
    contentHash: `hash-${id}`,
    format: "text",
    url: null,
    headline: `Headline ${id}`,
    published: null,
    source: null,
    author: null,
    entered: "2024-07-29T08:00:00Z",
    ...keptBody([[`First paragraph of ${id}.`, "It has two sentences."], [`Second paragraph of ${id}.`]]),
    title: `Headline ${id}`,
    titleFromLead: false,
    duplicateOf: null,
    otherEvents: [],
    ...over,
  };
}

function story(id: string, over: Partial<Story> = {}): Story {
  const articles = over.articles ?? [article(`a${id}1`), article(`a${id}2`)];
  return {
    id,
    title: `Story ${id}`,
    published: "2024-07-29T08:00:00Z",
    updated: "2024-07-29T09:00:00Z",
    summary: [
      { text: `Summary one of ${id}.`, articles: [articles[0].id] },
      { text: `Summary two of ${id}.`, articles: articles.map((a) => a.id) },
    ],
    articles,
    ...over,
  };
}

function digest(stories: Story[], over: Partial<Digest> = {}): Digest {
  return {
    meta: {
      title: "Test Digest",
      description: "Stories for tests.",
      siteUrl: "https://news.example.org/",
      language: "en",
      ttlMinutes: 15,
    },
    generatedAt: "2024-07-29T13:00:00Z",
    fingerprint: "f1ngerpr1nt",
    stories,
    rejected: [{ path: "bad.bin", reason: "not UTF-8 text" }],
    stats: { files: 3, articles: 2, stories: stories.length, duplicates: 0, rejected: 1 },
    ...over,
  };
}

const richArticles = [
  article("aorig", {
    source: "Reuters",
    url: "https://www.reuters.com/world/x?a=1&b=2",
    published: "2024-07-29T07:30:00+02:00",
    title: "Original report",
  }),
  article("acopy", {
    source: "Daily Copy",
    url: "javascript:alert(1)",
    published: "2024-07-29T10:00:00Z",
    title: "Copied report",
    duplicateOf: "aorig",
  }),
  article("anodate", { source: null, url: null, published: null, entered: null, title: "Undated report" }),
  article("anasty", {
    source: `Outlet ${NASTY}`,
    title: `Title ${NASTY}`,
    published: "2024-07-29T11:00:00Z",
    ...keptBody([[`Body ${NASTY}`]]),
  }),
];

const richStory = story("rich", {
  title: NASTY,
  published: "2024-07-29T05:30:00Z",
  updated: "2024-07-29T11:00:00Z",
  summary: [
    { text: `First sentence ${NASTY}.`, articles: ["anasty", "aorig"] },
    { text: "Second sentence from the copy and the original.", articles: ["acopy", "aorig", "acopy"] },
    { text: "Third sentence with an unknown article.", articles: ["anodate", "a-not-in-story"] },
  ],
  articles: richArticles,
});

const olderStory = story("older", { published: "2024-07-28T08:00:00Z", updated: "2024-07-28T09:00:00Z" });
const undatedStory = story("undated", { published: null, updated: null });

const rich = digest([olderStory, richStory, undatedStory]);

// ---------------------------------------------------------------------------------------------

describe("renderSite: files", () => {
  it("renders exactly the expected paths with their content types", () => {
    const files = renderSite(seeds);
    const paths = files.map((f) => f.path).sort();
    expect(paths).toEqual(
      [
        "index.html",
        "archive/2024-07.html",
        ...seeds.stories.map((s) => `stories/${s.id}.html`),
        "rss.xml",
        "atom.xml",
        "feed.json",
        "digest.json",
        "style.css",
        "favicon.svg",
      ].sort(),
    );
    const types = Object.fromEntries(files.map((f) => [f.path, f.contentType]));
    expect(types["index.html"]).toBe("text/html; charset=utf-8");
    expect(types["archive/2024-07.html"]).toBe("text/html; charset=utf-8");
    expect(types[`stories/${seeds.stories[0].id}.html`]).toBe("text/html; charset=utf-8");
    expect(types["rss.xml"]).toBe("application/rss+xml; charset=utf-8");
    expect(types["atom.xml"]).toBe("application/atom+xml; charset=utf-8");
    expect(types["feed.json"]).toBe("application/feed+json; charset=utf-8");
    expect(types["digest.json"]).toBe("application/json; charset=utf-8");
    expect(types["style.css"]).toBe("text/css; charset=utf-8");
    expect(types["favicon.svg"]).toBe("image/svg+xml");
  });

  it("gives the same bytes for the same digest, whatever the clock says", () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date("2001-01-01T00:00:00Z"));
      const a = renderSite(rich);
      vi.setSystemTime(new Date("2039-06-15T12:34:56Z"));
      const b = renderSite(structuredClone(rich));
      const c = renderSite(JSON.parse(JSON.stringify(seeds)));
      const d = renderSite(seeds);
      expect(b).toEqual(a);
      expect(d).toEqual(c);
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not modify its input", () => {
    const copy = structuredClone(rich);
    renderSite(rich);
    expect(rich).toEqual(copy);
  });

  it("keeps the seeds' front page (HTML + CSS) under 30 KB", () => {
    const files = renderSite(seeds);
    const bytes = new TextEncoder().encode(file(files, "index.html") + file(files, "style.css")).byteLength;
    expect(bytes).toBeLessThan(30 * 1024);
  });

  it("shows the newest FRONT_PAGE_STORIES stories on the front page and every story on its month's archive page", () => {
    // 65 stories: 40 first reported in July 2024, 25 in September (none in August).
    const many = Array.from({ length: FRONT_PAGE_STORIES * 2 + 5 }, (_, i) =>
      story(`s${String(i).padStart(3, "0")}`, {
        published: new Date(Date.UTC(2024, i < 40 ? 6 : 8, 1 + (i % 28), 0, i)).toISOString(),
        updated: new Date(Date.UTC(2024, 9, 1, 1, i)).toISOString(),
      }),
    );
    const files = byPath(renderSite(digest(many)));
    expect([...files.keys()].filter((path) => path.startsWith("archive/")).sort()).toEqual(["archive/2024-07.html", "archive/2024-09.html"]);
    const front = files.get("index.html")!.body;
    // Newest-updated first: the last story made is the first shown, and only 30 are shown.
    const first = front.indexOf("/stories/s064");
    const second = front.indexOf("/stories/s063");
    expect(first).toBeGreaterThan(-1);
    expect(second).toBeGreaterThan(first);
    expect(front).not.toContain('/stories/s034"');
    expect(front).toContain('href="/archive/2024-09">September 2024</a> <span class="meta">(25 stories)</span>');
    expect(front).toContain('href="/archive/2024-07">July 2024</a> <span class="meta">(40 stories)</span>');

    const july = files.get("archive/2024-07.html")!.body;
    const shown = (page: string) => [...page.matchAll(/<h2><a href="\/stories\/(s\d+)"/g)].map((m) => m[1]);
    expect(shown(july)).toHaveLength(40);
    expect(shown(july)).toContain("s000");
    expect(shown(july)).not.toContain("s040");
    expect(july).toContain('<link rel="canonical" href="https://news.example.org/archive/2024-07">');
    expect(july).toContain('href="/archive/2024-09" rel="prev"');
    expect(july).not.toContain('rel="next"');
    expect(shown(files.get("archive/2024-09.html")!.body).sort()).toEqual(many.slice(40).map((s) => s.id));
  });

  it("leaves a month's archive page byte for byte alone when a rebuild adds a story in another month", () => {
    const july = story("july", { published: "2024-07-10T08:00:00Z", updated: "2024-07-10T08:00:00Z" });
    const august = story("august", { published: "2024-08-02T08:00:00Z", updated: "2024-08-02T08:00:00Z" });
    const later = story("later", { published: "2024-08-20T08:00:00Z", updated: "2024-08-20T08:00:00Z" });
    const before = byPath(renderSite(digest([july, august])));
    const after = byPath(renderSite({ ...digest([july, august, later]), generatedAt: "2024-08-21T00:00:00Z" }));
    expect(after.get("archive/2024-07.html")!.body).toBe(before.get("archive/2024-07.html")!.body);
    expect(after.get("archive/2024-08.html")!.body).not.toBe(before.get("archive/2024-08.html")!.body);
  });

  it("feeds carry the newest FEED_ITEMS stories; every story keeps its page", () => {
    const many = Array.from({ length: FEED_ITEMS + 12 }, (_, i) =>
      story(`f${String(i).padStart(3, "0")}`, {
        published: new Date(Date.UTC(2024, 6, 1, 0, i)).toISOString(),
        updated: new Date(Date.UTC(2024, 6, 1, 1, i)).toISOString(),
      }),
    );
    const files = byPath(renderSite(digest(many)));
    const newest = many.slice(-FEED_ITEMS).reverse().map((s) => `https://news.example.org/stories/${s.id}`);
    const rssItems = parseXml(files.get("rss.xml")!.body).rss.channel.item as { guid: unknown }[];
    expect(rssItems.map((item) => text(item.guid))).toEqual(newest);
    const atomEntries = parseXml(files.get("atom.xml")!.body).feed.entry as { id: unknown }[];
    expect(atomEntries.map((entry) => text(entry.id))).toEqual(newest);
    expect((JSON.parse(files.get("feed.json")!.body) as { items: { id: string }[] }).items.map((item) => item.id)).toEqual(newest);
    for (const s of many) expect(files.has(`stories/${s.id}.html`), s.id).toBe(true);
    expect((JSON.parse(files.get("digest.json")!.body) as { stories: unknown[] }).stories).toHaveLength(many.length);
  });

  it("renders an empty digest", () => {
    const files = byPath(renderSite(digest([])));
    expect(files.get("index.html")!.body).toContain("No stories yet.");
    expect(() => parseXml(files.get("rss.xml")!.body)).not.toThrow();
    expect(() => parseXml(files.get("atom.xml")!.body)).not.toThrow();
    expect(JSON.parse(files.get("feed.json")!.body).items).toEqual([]);
  });
});

describe("digest.json", () => {
  it("follows contract v1", () => {
    const body = file(renderSite(rich), "digest.json");
    expect(body.endsWith("}\n")).toBe(true);
    expect(body).toContain('\n  "version": 1,');
    const json = JSON.parse(body);
    expect(json.version).toBe(1);
    expect(json.generatedAt).toBe("2024-07-29T13:00:00Z");
    expect(json.fingerprint).toBe("f1ngerpr1nt");
    expect(json.rejected).toEqual([{ path: "bad.bin", reason: "not UTF-8 text" }]);
    expect(json.stories.map((s: any) => s.id)).toEqual(["rich", "older", "undated"]);
    const s = json.stories[0];
    expect(Object.keys(s)).toEqual(expect.arrayContaining(["id", "title", "url", "published", "updated", "summary", "articles"]));
    expect(s.url).toBe("https://news.example.org/stories/rich");
    expect(s.title).toBe(NASTY_SAFE);
    expect(s.published).toBe("2024-07-29T05:30:00Z");
    expect(s.summary[1]).toEqual({ text: "Second sentence from the copy and the original.", articles: ["acopy", "aorig", "acopy"] });
    expect(s.articles[1]).toMatchObject({
      id: "acopy",
      path: "acopy.txt",
      title: "Copied report",
      source: "Daily Copy",
      published: "2024-07-29T10:00:00Z",
      duplicateOf: "aorig",
      url: null,
    });
    expect(s.articles[0].url).toBe("https://www.reuters.com/world/x?a=1&b=2");
    expect(json.stories[2]).toMatchObject({ published: null, updated: null });
  });
});

describe("RSS 2.0", () => {
  const files = renderSite(rich);
  const xml = file(files, "rss.xml");
  const rss = parseXml(xml).rss;
  const channel = rss.channel;

  it("has the channel fields", () => {
    expect(rss["@_version"]).toBe("2.0");
    expect(text(channel.title)).toBe("Test Digest");
    expect(text(channel.link)).toBe("https://news.example.org/");
    expect(text(channel.description)).toBe("Stories for tests.");
    expect(text(channel.language)).toBe("en");
    expect(text(channel.ttl)).toBe("15");
    expect(text(channel.lastBuildDate)).toBe("Mon, 29 Jul 2024 13:00:00 GMT");
    expect(text(channel.generator)).toBeTruthy();
    const self = channel["atom:link"].find((l: any) => l["@_rel"] === "self");
    expect(self["@_href"]).toBe("https://news.example.org/rss.xml");
  });

  it("has one item per story, newest-updated first (undated last), identified by the story URL", () => {
    const items = channel.item;
    expect(items).toHaveLength(3);
    expect(items.map((i: any) => text(i.link))).toEqual([
      "https://news.example.org/stories/rich",
      "https://news.example.org/stories/older",
      "https://news.example.org/stories/undated",
    ]);
    for (const item of items) {
      expect(item.guid["@_isPermaLink"]).toBe("false");
      expect(text(item.guid)).toBe(text(item.link));
      expect(text(item.pubDate)).toMatch(RFC822);
    }
    expect(text(items[0].pubDate)).toBe("Mon, 29 Jul 2024 05:30:00 GMT");
    // A story without dates falls back to the build time.
    expect(text(items[2].pubDate)).toBe("Mon, 29 Jul 2024 13:00:00 GMT");
  });

  it("keeps hostile title text as text and splits every ]]> in CDATA", () => {
    const item = channel.item[0];
    expect(text(item.title)).toBe(NASTY_SAFE);
    expect(xml).toContain("]]]]><![CDATA[>");
    expect(xml).not.toMatch(FORBIDDEN_XML);
    // description is HTML-escaped plain text; content:encoded is escaped HTML.
    expect(text(item.description)).toContain("&lt;script&gt;");
    const content = text(item["content:encoded"]);
    expect(content).not.toContain("<script");
    expect(content).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(content).toContain('<a href="https://www.reuters.com/world/x?a=1&amp;b=2">Original report</a>');
    // No original URL (or a non-http one): the link goes to the story page's anchor.
    expect(content).toContain('href="https://news.example.org/stories/rich#acopy"');
    expect(content).not.toContain("javascript:");
  });
});

describe("Atom 1.0", () => {
  const xml = file(renderSite(rich), "atom.xml");
  const feed = parseXml(xml).feed;

  it("has the feed fields", () => {
    expect(feed["@_xmlns"]).toBe("http://www.w3.org/2005/Atom");
    expect(text(feed.id)).toBe("https://news.example.org/");
    expect(text(feed.title)).toBe("Test Digest");
    expect(Date.parse(text(feed.updated))).toBe(Date.parse("2024-07-29T13:00:00Z"));
    expect(text(feed.author.name)).toBe("Test Digest");
    const rels = Object.fromEntries(feed.link.map((l: any) => [l["@_rel"], l["@_href"]]));
    expect(rels.self).toBe("https://news.example.org/atom.xml");
    expect(rels.alternate).toBe("https://news.example.org/");
  });

  it("has entries identified by the story URL with RFC 3339 dates", () => {
    expect(feed.entry).toHaveLength(3);
    const [first, older, undated] = feed.entry;
    expect(text(first.id)).toBe("https://news.example.org/stories/rich");
    expect(first.link[0]["@_href"]).toBe("https://news.example.org/stories/rich");
    expect(text(first.updated)).toMatch(RFC3339);
    expect(Date.parse(text(first.updated))).toBe(Date.parse("2024-07-29T11:00:00Z"));
    expect(Date.parse(text(first.published))).toBe(Date.parse("2024-07-29T05:30:00Z"));
    expect(Date.parse(text(undated.updated))).toBe(Date.parse("2024-07-29T13:00:00Z"));
    expect(text(older.id)).toBe("https://news.example.org/stories/older");
  });

  it("escapes hostile titles for type=html and never lets markup through", () => {
    const first = feed.entry[0];
    expect(first.title["@_type"]).toBe("html");
    expect(text(first.title)).toBe(escapeHtml(NASTY_SAFE));
    expect(text(first.content)).not.toContain("<script");
    expect(text(first.summary)).not.toContain("<script");
    expect(xml).not.toMatch(FORBIDDEN_XML);
  });
});

describe("JSON Feed 1.1", () => {
  const body = file(renderSite(rich), "feed.json");
  const feed = JSON.parse(body);

  it("has the top-level fields", () => {
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.title).toBe("Test Digest");
    expect(feed.home_page_url).toBe("https://news.example.org/");
    expect(feed.feed_url).toBe("https://news.example.org/feed.json");
    expect(feed.description).toBe("Stories for tests.");
    expect(feed.language).toBe("en");
    expect(feed.authors).toEqual([expect.objectContaining({ name: "Test Digest" })]);
  });

  it("has items with the same identity and dates as the XML feeds", () => {
    expect(feed.items.map((i: any) => i.id)).toEqual([
      "https://news.example.org/stories/rich",
      "https://news.example.org/stories/older",
      "https://news.example.org/stories/undated",
    ]);
    const item = feed.items[0];
    expect(item.url).toBe(item.id);
    expect(item.title).toBe(NASTY_SAFE);
    expect(item.date_published).toBe("2024-07-29T05:30:00Z");
    expect(item.date_modified).toBe("2024-07-29T11:00:00Z");
    expect(feed.items[2].date_published).toBe("2024-07-29T13:00:00Z");
    expect(item.content_html).toContain("&lt;script&gt;");
    expect(item.content_html).not.toContain("<script");
    expect(item.content_text).toContain(`First sentence ${NASTY_SAFE}.`);
    expect(item.summary).toBe(`First sentence ${NASTY_SAFE}. Second sentence from the copy and the original. Third sentence with an unknown article.`);
    for (const key of ["id", "url", "title", "content_html", "content_text", "summary", "date_published", "date_modified", "_digest"]) {
      expect(item).toHaveProperty(key);
    }
  });

  it("lists each item's sources as data in _digest", () => {
    const sources = feed.items[0]._digest.sources;
    expect(sources.map((s: any) => s.id)).toEqual(["aorig", "acopy", "anodate", "anasty"]);
    expect(sources[0]).toEqual({
      id: "aorig",
      outlet: "Reuters",
      title: "Original report",
      path: "aorig.txt",
      url: "https://www.reuters.com/world/x?a=1&b=2",
      published: "2024-07-29T07:30:00+02:00",
      duplicateOf: null,
    });
    expect(sources[1]).toMatchObject({ url: null, duplicateOf: "aorig" });
    expect(sources[2]).toMatchObject({ outlet: null, published: null });
  });

  it("contains no character XML forbids", () => {
    expect(body).not.toMatch(FORBIDDEN_XML);
    expect(body).not.toMatch(/\\u(000[0-8bcef]|001[0-9a-f]|d[89ab][0-9a-f]{2}|dc00|fff[ef])/i);
  });
});

describe("HTML", () => {
  const files = renderSite(rich);
  const front = file(files, "index.html");
  const page = file(files, "stories/rich.html");

  it("never lets hostile text become markup", () => {
    for (const f of files.filter((f) => f.contentType.startsWith("text/html"))) {
      expect(f.body).not.toMatch(/<script/i);
      expect(f.body).not.toMatch(FORBIDDEN_XML);
      expect(f.body).not.toContain("<b>bold</b>");
      expect(f.body).not.toContain("javascript:");
    }
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).toContain(`<h1>${escapeHtml(NASTY_SAFE)}</h1>`);
  });

  it("front page: shell, feed discovery, landmarks, one h1, no scripts or inline styles", async () => {
    expect(front.startsWith("<!doctype html>")).toBe(true);
    expect(front).toContain('<html lang="en">');
    expect(front).toContain("<title>Test Digest</title>");
    expect(front).toContain('<meta name="description" content="Stories for tests.">');
    expect(front).toContain('<meta property="og:title" content="Test Digest">');
    expect(front).toContain('<link rel="canonical" href="https://news.example.org/">');
    expect(front).toContain('<link rel="stylesheet" href="/style.css">');
    expect(front).toContain('href="/favicon.svg"');
    const facts = await inspectHtml(front);
    expect(facts.alternates).toEqual([
      { type: "application/rss+xml", href: "https://news.example.org/rss.xml" },
      { type: "application/atom+xml", href: "https://news.example.org/atom.xml" },
      { type: "application/feed+json", href: "https://news.example.org/feed.json" },
    ]);
    expect(facts.hrefs).toEqual(expect.arrayContaining(["/rss.xml", "/atom.xml", "/feed.json"]));
    expect(facts.h1).toBe(1);
    expect(facts.scripts + facts.styleAttrs + facts.styleElements + facts.inlineHandlers).toBe(0);
    expect([...facts.landmarks].sort()).toEqual(["footer", "header", "main", "nav"]);
  });

  it("front page: stories newest-updated first with sources, times in UTC and links", () => {
    const order = ["/stories/rich", "/stories/older", "/stories/undated"].map((p) => front.indexOf(`href="${p}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(front).toContain("4 sources: Reuters, Daily Copy, Outlet");
    expect(front).toContain("and 1 unnamed");
    expect(front).toContain('<time datetime="2024-07-29T05:30:00Z">29 Jul 2024, 05:30 UTC</time>');
    expect(front).toContain('<time datetime="2024-07-29T11:00:00Z">29 Jul 2024, 11:00 UTC</time>');
    expect(front).toContain('<time datetime="2024-07-29T13:00:00Z">29 Jul 2024, 13:00 UTC</time>');
    expect(front).toContain("Summary one of older.");
  });

  it("says 'First reported' only for an article's own date; a story dated by when it entered the corpus says 'Added'", () => {
    const card = (id: string) => front.slice(front.indexOf(`href="/stories/${id}"`), front.indexOf("</article>", front.indexOf(`href="/stories/${id}"`)));
    expect(card("rich")).toContain('First reported <time datetime="2024-07-29T05:30:00Z">');
    expect(card("older")).toContain('Added <time datetime="2024-07-28T08:00:00Z">');
    expect(card("older")).not.toContain("First reported");
    expect(page).toContain('<p class="meta">First reported <time datetime="2024-07-29T05:30:00Z">');
  });

  it("story page: anchors for every source and superscript links to them", async () => {
    const facts = await inspectHtml(page);
    expect(facts.h1).toBe(1);
    for (const a of richArticles) expect(facts.ids.has(a.id)).toBe(true);
    for (const target of facts.fragmentLinks) expect(facts.ids.has(target)).toBe(true);
    // Numbered by source order; each sentence's sources once, ascending; unknown ids dropped.
    expect(page).toContain('<sup><a href="#aorig">1</a></sup><sup><a href="#anasty">4</a></sup>');
    expect(page).toContain('original.<span class="marks"><sup><a href="#aorig">1</a></sup><sup><a href="#acopy">2</a></sup></span>');
    expect(page).toContain('article.<span class="marks"><sup><a href="#anodate">3</a></sup></span></p>');
    expect(facts.supLinks).toEqual(["#aorig", "#anasty", "#aorig", "#acopy", "#anodate"]);
    expect(page).not.toContain("a-not-in-story");
    // Headings in order: h1, then h2 sections, h3 per source; never a skipped level.
    expect(facts.headings).toEqual(expect.arrayContaining([1, 2, 3]));
    facts.headings.forEach((level, i) => {
      if (i > 0) expect(level - facts.headings[i - 1]).toBeLessThanOrEqual(1);
    });
    expect(facts.scripts + facts.styleAttrs + facts.styleElements + facts.inlineHandlers).toBe(0);
    expect(facts.timeValues.length).toBeGreaterThan(0);
    expect(facts.timeValues.every((v) => RFC3339.test(v))).toBe(true);
  });

  it("story page: sources with outlet, date, original link (http only), text and duplicates", () => {
    expect(page).toContain('<a href="https://www.reuters.com/world/x?a=1&amp;b=2">Read the original at reuters.com');
    expect(page).toContain('<span class="outlet">Reuters</span> · Published <time datetime="2024-07-29T05:30:00Z">29 Jul 2024, 05:30 UTC</time>');
    expect(page).toContain("Near-duplicate: same text as <a href=\"#aorig\">“Original report”</a>.");
    expect(page).toContain('<span class="outlet">Unnamed outlet</span> · Date unknown');
    expect(page).toContain("<details>\n<summary>Article text");
    expect(page).toContain("<p>First paragraph of aorig. It has two sentences.</p>");
    expect(page).toContain(`<p>Body ${escapeHtml(NASTY_SAFE)}</p>`);
    // Only one original link: the copy's javascript: URL is not a link.
    expect(page.match(/Read the original at/g)).toHaveLength(1);
  });

  it("story page: timeline ordered by date, undated last", () => {
    const timeline = page.slice(page.indexOf('<ol class="timeline">'));
    const order = ["#aorig", "#acopy", "#anasty", "#anodate"].map((id) => timeline.indexOf(`href="${id}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("story page: canonical URL and article Open Graph tags", () => {
    expect(page).toContain('<link rel="canonical" href="https://news.example.org/stories/rich">');
    expect(page).toContain('<meta property="og:type" content="article">');
    expect(page).toContain('<meta property="article:modified_time" content="2024-07-29T11:00:00Z">');
  });
});

describe("text helpers", () => {
  it("xmlSafe removes exactly what XML 1.0 forbids (and C1 controls), keeping pairs and whitespace", () => {
    expect(xmlSafe("a\u0000b\u0008c\td\ne\rf\u000Bg\u001Fh")).toBe("abc\td\ne\rfgh");
    expect(xmlSafe("x\uFFFEy\uFFFFz")).toBe("xyz");
    expect(xmlSafe("\uD83D\uDE00")).toBe("\uD83D\uDE00");
    expect(xmlSafe("a\uD800b\uDC00c\uDBFF")).toBe("abc");
    expect(xmlSafe("\u0085\u009F\u007F")).toBe("");
    expect(xmlSafe("é & < ]]>")).toBe("é & < ]]>");
  });

  it("cdata survives any number of ]]>", () => {
    const wrapped = `<x>${cdata("a]]>b]]>c]]")}</x>`;
    expect(parseXml(wrapped).x).toBe("a]]>b]]>c]]");
  });

  it("strips a trailing slash from siteUrl", () => {
    const files = renderSite(digest([story("one")], { meta: { ...rich.meta, siteUrl: "https://x.example///" } }));
    expect(JSON.parse(file(files, "feed.json")).items[0].id).toBe("https://x.example/stories/one");
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("outlet names", () => {
  it("names an article without a source by the domain its URL names, as ingest does, and no outlet for a non-http URL", () => {
    expect(outletName(article("aurl", { source: null, url: "https://news.example.co.uk/2/a.stm" }))).toBe("example.co.uk");
    expect(outletName(article("ajs", { source: " ", url: "javascript:alert(1)" }))).toBeNull();
    expect(outletName(article("asrc", { source: "Example Wire", url: "https://news.example.co.uk/a" }))).toBe("Example Wire");
  });
});
