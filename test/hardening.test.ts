// Bad input through the rebuild: broken, hostile and oversized corpus files go into R2 next to
// good ones, the cron runs, and every bad file must be listed as rejected with its reason while
// the rest still publish, with no executable markup in any page and feeds that still parse.
// Then property-based tests: random text and bytes through ingest/clean and the whole
// build + render never throw (except RejectedFileError) and never produce broken outputs.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeEach, describe, expect, it } from "vitest";
import { clean, paragraphsOf, sentencesOf } from "../src/pipeline/clean";
import { buildDigest } from "../src/pipeline/build";
import { MAX_ARTICLE_BYTES, RejectedFileError, ingest } from "../src/pipeline/ingest";
import { normalizeText, tokenize } from "../src/pipeline/text";
import type { CorpusFile, DigestMeta } from "../src/pipeline/types";
import { READ_BATCH, rebuild } from "../src/rebuild";
import { FEED_ITEMS } from "../src/render/feeds";
import { renderSite, type RenderedFile } from "../src/render/index";
import { listCorpus } from "../src/storage/corpus";
import { readBlob, readPointer, type Manifest } from "../src/storage/published";
import { BASE, SEEDS, clearStorage, get, instrument, liveManifest, putArticles, runCron } from "./helpers";

const enc = (text: string) => new TextEncoder().encode(text);

interface DigestJson {
  stories: { id: string; url: string; title: string; articles: { id: string; path: string; title: string; duplicateOf: string | null }[] }[];
  rejected: { path: string; reason: string }[];
}

interface Health {
  ok: boolean;
  articles: number;
  stories: number;
  rejected: { path: string; reason: string }[];
  lastError: { message: string } | null;
  pending: number;
}

// ---------------------------------------------------------------------------------------------
// Output checks shared by every test

/** Characters XML 1.0 cannot carry (and C1 controls, which the renderers also drop). */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "srcset", "poster", "cite", "data", "background", "xlink:href", "ping"]);
const DANGEROUS_SCHEME = /^(?:javascript|vbscript|data):/i;

interface HtmlProblems {
  scriptTags: number;
  handlers: string[];
  dangerousUrls: string[];
  refresh: number;
}

/**
 * Executable markup in an HTML document, found by workerd's HTML parser (HTMLRewriter): script
 * elements, on* handler attributes, javascript:/vbscript:/data: URLs, meta refresh. Text that
 * merely mentions "onerror=" or "javascript:" (escaped, as the article said it) is not markup.
 */
async function htmlProblems(html: string): Promise<HtmlProblems> {
  const problems: HtmlProblems = { scriptTags: 0, handlers: [], dangerousUrls: [], refresh: 0 };
  await new HTMLRewriter()
    .on("*", {
      element(el) {
        if (el.tagName === "script") problems.scriptTags++;
        if (el.tagName === "meta" && (el.getAttribute("http-equiv") ?? "").toLowerCase() === "refresh") problems.refresh++;
        for (const [name, value] of el.attributes) {
          if (/^on/i.test(name)) problems.handlers.push(`<${el.tagName} ${name}="${value}">`);
          // Browsers ignore ASCII whitespace and controls inside a URL's scheme.
          if (URL_ATTRIBUTES.has(name.toLowerCase()) && DANGEROUS_SCHEME.test(value.replace(/[\u0000-\u0020]+/g, ""))) {
            problems.dangerousUrls.push(`<${el.tagName} ${name}="${value}">`);
          }
        }
      },
    })
    .transform(new Response(html))
    .text();
  return problems;
}

async function expectSafeHtml(html: string, where: string): Promise<void> {
  expect(html, where).not.toMatch(/<script/i);
  expect(await htmlProblems(html), where).toEqual({ scriptTags: 0, handlers: [], dangerousUrls: [], refresh: 0 });
}

const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", isArray: (name) => ["item", "entry"].includes(name) });

/**
 * Well-formedness problems fast-xml-parser's validator does not report: characters XML 1.0
 * forbids, and `]]>` outside a CDATA section (XML 1.0 §2.4), e.g. from a badly split CDATA.
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const validation = XMLValidator.validate(xml);
  if (validation !== true) problems.push(`invalid XML: ${validation.err.msg} (line ${validation.err.line})`);
  const forbidden = XML_FORBIDDEN.exec(xml);
  if (forbidden) problems.push(`forbidden character U+${forbidden[0].charCodeAt(0).toString(16).padStart(4, "0")}`);
  const outsideCdata = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "");
  if (outsideCdata.includes("]]>")) problems.push("']]>' outside a CDATA section");
  return problems;
}

/** The feed parses with an independent XML parser; returns its items' HTML bodies. */
function parseFeed(path: string, xml: string): { items: number; contentHtml: string[] } {
  expect(xmlProblems(xml), path).toEqual([]);
  const doc = xmlParser.parse(xml);
  if (path === "rss.xml") {
    const items = (doc.rss.channel.item ?? []) as Record<string, unknown>[];
    return { items: items.length, contentHtml: items.map((i) => String(i["content:encoded"] ?? "")) };
  }
  const entries = (doc.feed.entry ?? []) as { content?: { "#text"?: string } | string }[];
  return { items: entries.length, contentHtml: entries.map((e) => (typeof e.content === "string" ? e.content : String(e.content?.["#text"] ?? ""))) };
}

/** Every file of the live build, straight from KV (so "every HTML output" really is every one). */
async function liveFiles(): Promise<{ manifest: Manifest; files: Map<string, { body: string; contentType: string }> }> {
  const manifest = await liveManifest();
  const files = new Map<string, { body: string; contentType: string }>();
  for (const [path, entry] of Object.entries(manifest.files)) {
    const body = await readBlob(env.DIGEST, entry);
    expect(body, path).not.toBeNull();
    files.set(path, { body: body!, contentType: entry.contentType });
  }
  return { manifest, files };
}

/** Every output of a build: HTML safe, feeds parse, JSON parses. Returns the parsed digest.json. */
async function checkOutputs(files: Map<string, { body: string; contentType: string }>): Promise<DigestJson> {
  const digest = JSON.parse(files.get("digest.json")!.body) as DigestJson;
  const jsonFeed = JSON.parse(files.get("feed.json")!.body) as { items: { id: string; content_html: string }[] };
  // Feeds carry the newest FEED_ITEMS stories, in digest order; every story has a page.
  const inFeeds = digest.stories.slice(0, FEED_ITEMS);
  expect(jsonFeed.items.map((item) => item.id)).toEqual(inFeeds.map((story) => story.url));
  let pages = 0;
  for (const [path, file] of files) {
    if (file.contentType.startsWith("text/html")) {
      pages++;
      await expectSafeHtml(file.body, path);
      expect(file.body, path).not.toMatch(XML_FORBIDDEN);
    }
  }
  expect(pages).toBeGreaterThanOrEqual(1 + digest.stories.length);
  for (const path of ["rss.xml", "atom.xml"]) {
    const feed = parseFeed(path, files.get(path)!.body);
    expect(feed.items, path).toBe(inFeeds.length);
    for (const html of feed.contentHtml) await expectSafeHtml(html, `${path} item content`);
  }
  for (const item of jsonFeed.items) await expectSafeHtml(item.content_html, "feed.json content_html");
  return digest;
}

function pathsOf(digest: DigestJson): string[] {
  return digest.stories.flatMap((s) => s.articles.map((a) => a.path));
}

// ---------------------------------------------------------------------------------------------
// The corpus under test

const BOILERPLATE = [
  "Related Posts",
  "Ten things to do this weekend",
  "Why prices keep rising",
  "The best beaches in the region",
  "Local team wins again",
  "POPULAR ARTICLE",
  "1. Markets rally",
  "2. Storm warning issued",
  "3. New mayor sworn in",
  "4. Traffic chaos downtown",
  "Follow us on Facebook",
  "Follow us on Twitter",
  "© 2024 Example News. All rights reserved.",
  "Photo: Reuters",
  "ACCESS RANKING",
  "1. Celebrity wedding photos",
  "2. Ten tips for summer",
  "3. Stocks to watch",
  "4. The week in pictures",
  "5. Recipes for the weekend",
];
const FERRY_LEAD = "The harbour ferry service resumed on Thursday after a two-week strike ended, the operator said.";
const NINETY_PERCENT_BOILERPLATE = `Harbour ferry service resumes\n\n${FERRY_LEAD}\n\n${[...BOILERPLATE, ...BOILERPLATE.map((l) => l.replace(/\d\./, (d) => d + "0"))].join("\n\n")}\n`;

const DUPLICATE = [
  "Pedestrian bridge collapses in city centre",
  "",
  "A pedestrian bridge collapsed in the city centre on Saturday, injuring five people, police said.",
  "",
  "Investigators are examining whether heavy crowds at a festival caused the failure of the steel structure.",
  "",
].join("\n");

/** Files that can never be articles, each with the reason the digest must give. */
const BAD_FILES: { key: string; bytes: () => Uint8Array; reason: RegExp }[] = [
  { key: "bad/binary.txt", bytes: () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]), reason: /binary|NUL/ },
  { key: "bad/nul-bytes.md", bytes: () => enc("Council meets\n\nThe council met on Monday\u0000 and approved the plan, officials said.\n"), reason: /NUL/ },
  { key: "bad/latin1.txt", bytes: () => new Uint8Array([...enc("Caf"), 0xe9, ...enc(" reopens\n\nThe caf"), 0xe9, ...enc(" on the square reopened on Friday after repairs.\n")]), reason: /UTF-8/ },
  { key: "bad/truncated-utf8.md", bytes: () => new Uint8Array([...enc("Prices rise \u20ac"), 0xe2, 0x82]), reason: /UTF-8/ },
  { key: "bad/overlong-utf8.txt", bytes: () => new Uint8Array([...enc("Path "), 0xc0, 0xaf, ...enc(" traversal in an overlong encoding.\n")]), reason: /UTF-8/ },
  { key: "bad/empty.txt", bytes: () => new Uint8Array(0), reason: /empty/ },
  { key: "bad/whitespace.md", bytes: () => enc(" \n\t\r\n   \n\n"), reason: /empty/ },
  { key: "bad/bom-only.txt", bytes: () => new Uint8Array([0xef, 0xbb, 0xbf]), reason: /empty/ },
  { key: "bad/controls-only.txt", bytes: () => enc("\u0001\u0002\u0007\u001b\u007f\u0085\n\u0008"), reason: /empty/ },
  { key: "bad/huge.txt", bytes: () => new Uint8Array(5 * 1024 * 1024).fill(0x61), reason: new RegExp(`${5 * 1024 * 1024} bytes; articles may be at most ${MAX_ARTICLE_BYTES} bytes`) },
  { key: "bad/all-boilerplate.txt", bytes: () => enc(BOILERPLATE.join("\n\n") + "\n"), reason: /boilerplate|no article text/ },
  { key: "bad/image.png", bytes: () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00]), reason: /not an article/ },
  { key: "bad/page.html", bytes: () => enc("<html><body><script>alert(1)</script><p>Some text here about things.</p></body></html>"), reason: /not an article/ },
];

/** Hostile but readable files: they must publish, as inert text. */
const HOSTILE_FILES: Record<string, string> = {
  "hostile/script.md": [
    "---",
    'title: "<script>alert(document.cookie)</script> Fire at harbour warehouse"',
    "source: <img src=x onerror=alert(1)>",
    "url: javascript:alert(1)",
    "---",
    "",
    'A fire broke out at the harbour warehouse on Sunday, firefighters said. <script>alert("x")</script> Residents were told to keep windows closed.',
    "",
    'Nobody was hurt and the blaze was under control by evening <img src=x onerror="alert(2)">, the fire chief said. <svg onload=alert(3)>',
    "",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT><iframe src=javascript:alert(4)></iframe><a href=\"javascript:alert(5)\">click</a>",
    "",
  ].join("\n"),
  "hostile/links.md": [
    "# Storm closes mountain pass",
    "",
    "Heavy snow closed the mountain pass on Tuesday, [the roads agency](javascript:alert(1)) said, and drivers were told to wait.",
    "",
    "More on the [forecast](JaVaScRiPt:alert(2)), the [map](  javascript:alert(3)), the [radar](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) and ![chart](javascript:alert(4)) <javascript:alert(5)>.",
    "",
    "Ploughs worked through the night, and the agency said the pass would reopen on Wednesday if the snow stopped.",
    "",
  ].join("\n"),
  "hostile/script.txt": [
    "<script>alert(1)</script>",
    "",
    "Power cut hits coastal towns",
    "",
    "A storm hit the coast on Monday <img src=x onerror=alert(1)> and javascript:alert(1) knocked out power in many towns, officials said.",
    "",
    "Crews worked through the night ]]> to restore power to thousands of homes <![CDATA[ in the region ]]> by Tuesday morning.",
    "",
  ].join("\n"),
  "hostile/controls.txt": [
    "River \u0001floods\u0007 valley\u001b[31m after rain\u0085",
    "",
    "The river flooded the valley on Wednesday\u000b after heavy rain\u000c, residents said, and several roads were closed.\u007f",
    "",
    "Emergency crews \u202eevacuated\u202c two villages\u200b and \uFFFEopened shelters in the school\u0080 hall.",
    "",
  ].join("\n"),
  "hostile/cdata.md": [
    "---",
    "title: Markets ]]> close <![CDATA[ higher ]]]]> on Friday",
    "---",
    "",
    "Shares closed higher on Friday ]]> as investors welcomed the central bank's decision to hold rates, traders said.",
    "",
    "The index gained one percent ]]]]><![CDATA[ over the week.",
    "",
  ].join("\n"),
};

beforeEach(async () => {
  await clearStorage();
});

describe("the output checks themselves", () => {
  it("catch script elements, handler attributes, dangerous URLs and meta refresh, but not escaped text", async () => {
    const caught = await htmlProblems(
      '<p>x</p><script>1</script><img src=x onerror=alert(1)><a href=" java\tscript:alert(1)">a</a><iframe src="data:text/html,x"></iframe><meta http-equiv="Refresh" content="0;url=javascript:alert(1)">',
    );
    expect(caught.scriptTags).toBe(1);
    expect(caught.handlers).toHaveLength(1);
    expect(caught.dangerousUrls).toHaveLength(2);
    expect(caught.refresh).toBe(1);
    expect(await htmlProblems("<p>&lt;img src=x onerror=alert(1)&gt; javascript:alert(1)</p><a title=\"onerror=x\" href=\"https://example.com/\">ok</a>")).toEqual({
      scriptTags: 0,
      handlers: [],
      dangerousUrls: [],
      refresh: 0,
    });
    expect(xmlProblems("<rss><channel><title><![CDATA[a]]]]><![CDATA[>b]]></title></channel></rss>")).toEqual([]);
    expect(xmlProblems("<rss><channel><title>a]]>b</title></channel></rss>")).toEqual(["']]>' outside a CDATA section"]);
    expect(xmlProblems("<rss><channel><title><![CDATA[a]]>b]]></title></channel></rss>")).toEqual(["']]>' outside a CDATA section"]);
    expect(xmlProblems("<rss><channel><title>a\u0001</title></channel></rss>")).toEqual(["forbidden character U+0001"]);
    expect(xmlProblems("<rss><channel><title>a<b</title></channel></rss>")[0]).toMatch(/invalid XML/);
  });
});

describe("bad input through the rebuild", () => {
  it("rejects every bad file with its reason, publishes the rest, and keeps every output safe", async () => {
    await putArticles({
      ...SEEDS,
      ...HOSTILE_FILES,
      "boiler/ninety-percent.txt": NINETY_PERCENT_BOILERPLATE,
      "dup/first.txt": DUPLICATE,
      "dup/second.txt": DUPLICATE,
      ...Object.fromEntries(BAD_FILES.map((f) => [f.key, f.bytes()])),
    });
    await runCron();

    const health = (await (await get("/healthz")).json()) as Health;
    expect(health.lastError).toBeNull();
    expect(health.ok).toBe(true);

    const { files } = await liveFiles();
    const digest = await checkOutputs(files);

    // Rejected: exactly the bad files, each once, each with its reason; /healthz says the same.
    expect(digest.rejected.map((r) => r.path).sort()).toEqual(BAD_FILES.map((f) => f.key).sort());
    for (const bad of BAD_FILES) {
      const entry = digest.rejected.find((r) => r.path === bad.key)!;
      expect(entry.reason, bad.key).toMatch(bad.reason);
    }
    expect(health.rejected).toEqual(digest.rejected);
    const served = (await (await get("/digest.json")).json()) as DigestJson;
    expect(served.rejected).toEqual(digest.rejected);

    // Published: everything else, each in exactly one story.
    const good = [...Object.keys(SEEDS), ...Object.keys(HOSTILE_FILES), "boiler/ninety-percent.txt", "dup/first.txt", "dup/second.txt"].sort();
    expect(pathsOf(digest).sort()).toEqual(good);
    expect(health.articles).toBe(good.length);

    // Duplicate content under two keys: one story, the later one marked as a copy of the other.
    const dupStory = digest.stories.find((s) => s.articles.some((a) => a.path === "dup/first.txt"))!;
    const [first, second] = ["dup/first.txt", "dup/second.txt"].map((p) => dupStory.articles.find((a) => a.path === p));
    expect(first && second, "both copies in one story").toBeTruthy();
    const marks = [first!.duplicateOf, second!.duplicateOf].filter((d) => d !== null);
    expect(marks).toHaveLength(1);
    expect(first!.duplicateOf === second!.id || second!.duplicateOf === first!.id).toBe(true);

    // 90% boilerplate: the article stays, the boilerplate goes.
    const ferry = digest.stories.find((s) => s.articles.some((a) => a.path === "boiler/ninety-percent.txt"))!;
    const ferryPage = files.get(`stories/${ferry.id}.html`)!.body;
    expect(ferryPage).toContain(FERRY_LEAD);
    for (const line of ["Follow us on Facebook", "POPULAR ARTICLE", "ACCESS RANKING", "All rights reserved", "Celebrity wedding photos", "Related Posts"]) {
      expect(ferryPage, line).not.toContain(line);
    }

    // Hostile files published as text: the words are there, the markup is not.
    const fire = digest.stories.find((s) => s.articles.some((a) => a.path === "hostile/script.md"))!;
    expect(fire.articles.find((a) => a.path === "hostile/script.md")!.title).toContain("Fire at harbour warehouse");
    const firePage = files.get(`stories/${fire.id}.html`)!.body;
    expect(firePage).toContain("A fire broke out at the harbour warehouse on Sunday");
    const storm = digest.stories.find((s) => s.articles.some((a) => a.path === "hostile/links.md"))!;
    expect(files.get(`stories/${storm.id}.html`)!.body).toContain("Heavy snow closed the mountain pass on Tuesday");
    const river = digest.stories.find((s) => s.articles.some((a) => a.path === "hostile/controls.txt"))!;
    expect(files.get(`stories/${river.id}.html`)!.body).toMatch(/The river flooded the valley on Wednesday ?after heavy rain/);

    // What readers fetch is what was checked.
    const front = await get("/");
    expect(front.status).toBe(200);
    await expectSafeHtml(await front.text(), "GET /");
    for (const story of digest.stories) {
      const page = await get(`/stories/${story.id}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toBe(files.get(`stories/${story.id}.html`)!.body);
    }
  });

  it("reads past R2's 1,000-object list page in bounded batches: 1,500 small articles all reach the digest", async () => {
    const topics = ["bridge", "school", "market", "harbour", "library", "station", "stadium", "hospital", "museum", "airport"];
    const places = ["Northfield", "Eastwick", "Southport", "Westbury", "Lakeside", "Hillcrest", "Riverton", "Oakham", "Ashford", "Brookvale"];
    const files: Record<string, string> = {};
    // 100 distinct short reports, each filed 15 times (as syndicated copies are): few stories
    // to render keeps this fast, and dedupe sees 1,400 copies.
    for (let i = 0; i < 1500; i++) {
      const g = i % 100;
      const topic = topics[g % 10];
      const place = places[Math.floor(g / 10)];
      files[`bulk/n${String(i).padStart(4, "0")}.txt`] =
        `${place} ${topic} plan ${g} approved\n\nOfficials in ${place} approved plan number ${g} for the ${topic} on day ${(g % 28) + 1}, the council said.\n`;
    }
    // Two bad files whose keys sort after the first 1,000: they must still be seen and rejected.
    files["bulk/z-empty.txt"] = "";
    files["bulk/z-nul.txt"] = "Late file\n\nIt has a NUL\u0000 byte in it.\n";
    await putArticles(files);
    expect((await listCorpus(env.CORPUS)).length).toBe(1502);

    // Reads are batched under the Workers limit on operations per invocation: each run reads
    // at most READ_BATCH objects, publishes what it has, and /healthz says how many wait.
    const { binding: countingBucket, calls } = instrument(env.CORPUS, ["get"]);
    const pendingAfterRun: number[] = [];
    for (let run = 0; run < 10; run++) {
      calls.get = 0;
      const result = await rebuild({ ...env, CORPUS: countingBucket });
      expect(calls.get, `objects read in run ${run + 1}`).toBeLessThanOrEqual(READ_BATCH);
      if (result.status !== "published") break;
      pendingAfterRun.push(((await (await get("/healthz")).json()) as Health).pending);
    }
    expect(pendingAfterRun).toEqual([1502 - READ_BATCH, 1502 - 2 * READ_BATCH, 1502 - 3 * READ_BATCH, 0]);
    // Caught up: the next run reads nothing.
    calls.get = 0;
    expect((await rebuild({ ...env, CORPUS: countingBucket })).status).toBe("unchanged");
    expect(calls.get).toBe(0);
    const health = (await (await get("/healthz")).json()) as Health;
    expect(health.lastError).toBeNull();
    expect(health.articles).toBe(1500);
    expect(health.rejected.map((r) => r.path).sort()).toEqual(["bulk/z-empty.txt", "bulk/z-nul.txt"]);

    const digest = (await (await get("/digest.json")).json()) as DigestJson;
    const paths = pathsOf(digest);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.sort()).toEqual(Object.keys(files).filter((k) => k.startsWith("bulk/n")).sort());
    for (const path of ["/", "/rss.xml", "/atom.xml", "/feed.json"]) expect((await get(path)).status, path).toBe(200);
    expect(xmlProblems(await (await get("/rss.xml")).text())).toEqual([]);
    expect(xmlProblems(await (await get("/atom.xml")).text())).toEqual([]);
  });

  it("an unexpected error while processing one file rejects that file, not the build", async () => {
    await putArticles({ ...SEEDS, "odd/explodes.txt": DUPLICATE });
    const result = await rebuild(env, {
      force: true,
      afterClean: (article) => {
        if (article.path === "odd/explodes.txt") throw new TypeError("injected failure in a stage");
      },
    });
    expect(result.status).toBe("published");
    const digest = (await (await get("/digest.json")).json()) as DigestJson;
    expect(digest.rejected).toEqual([{ path: "odd/explodes.txt", reason: expect.stringMatching(/could not be processed: injected failure/) }]);
    expect(pathsOf(digest).sort()).toEqual(Object.keys(SEEDS).sort());
  });

  it("a KV write failing midway leaves the previous build live (the pointer is not switched)", async () => {
    await putArticles(SEEDS);
    await runCron();
    const before = await get("/");
    const etag = before.headers.get("etag");
    const body = await before.text();
    const pointer = await readPointer(env.DIGEST);

    await putArticles({ "extra/ferry.txt": NINETY_PERCENT_BOILERPLATE });
    let blobWrites = 0;
    const { binding: failingKv } = instrument(env.DIGEST, ["put"], {
      put: (original, key, ...rest) => {
        if (String(key).startsWith("blob/") && ++blobWrites > 1) return Promise.reject(new Error("injected KV write failure"));
        return original(key, ...rest);
      },
    });
    const result = await rebuild({ ...env, DIGEST: failingKv }, { force: true });
    expect(result.status).toBe("failed");
    expect(await readPointer(env.DIGEST)).toBe(pointer);
    const after = await get("/");
    expect(after.headers.get("etag")).toBe(etag);
    expect(await after.text()).toBe(body);
    const health = (await (await get("/healthz")).json()) as Health;
    expect(health.lastError?.message).toMatch(/injected KV write failure/);
    expect(health.articles).toBe(Object.keys(SEEDS).length);
  });
});

// ---------------------------------------------------------------------------------------------
// CPU cost: a Worker has a CPU-time limit, so one valid file under the size cap must not be
// able to stall every rebuild. Speed is measured by `npm run bench`, not here: these files
// must simply build (a quadratic stage would run into the test timeout, minutes away).

describe("CPU cost of hostile but valid files", () => {
  const meta: DigestMeta = { title: "T", description: "D", siteUrl: BASE, language: "en", ttlMinutes: 15 };
  const build = (text: string, path = "big.txt") => {
    const digest = buildDigest([{ path, bytes: enc(text), entered: null }], { meta, generatedAt: "2024-08-02T12:00:00Z", fingerprint: "cpu" });
    return { digest, files: renderSite(digest) };
  };
  const fill = (unit: string, bytes: number) => unit.repeat(Math.floor(bytes / unit.length));

  it("1 MiB of one long line of words, and 1 MiB of short paragraphs, build and render", () => {
    for (const [name, text] of [
      ["one line of words", fill("word ", MAX_ARTICLE_BYTES - 64)],
      ["short paragraphs", fill("Short line here.\n\n", MAX_ARTICLE_BYTES - 64)],
    ] as const) {
      const { digest, files } = build(text);
      expect(digest.rejected, name).toEqual([]);
      expect(files.some((f) => f.path === "rss.xml"), name).toBe(true);
    }
  });

  // Copy detection copies each word's characters into its own buffers and makes a string of
  // a word only the first time it meets it; one made from a 500,000-letter word in a single
  // call would overflow the stack.
  it("a copy of an article holding a 500,000-letter word is found as a copy", () => {
    const text = "A headline over a very long word\n\n" + "x".repeat(500_000) + " and then the council approved the new budget on Tuesday after a long debate, officials said.";
    const digest = buildDigest(
      [
        { path: "a.txt", bytes: enc(text), entered: "2024-08-01T00:00:00Z" },
        { path: "b.txt", bytes: enc(text), entered: "2024-08-02T00:00:00Z" },
      ],
      { meta, generatedAt: "2024-08-02T12:00:00Z", fingerprint: "cpu" },
    );
    expect(digest.rejected).toEqual([]);
    expect(digest.stories).toHaveLength(1);
    expect(digest.stories[0].articles.map((a) => [a.path, a.duplicateOf !== null])).toEqual([
      ["a.txt", false],
      ["b.txt", true],
    ]);
  });

  // 256 KiB of "The mayor spoke. " is ~15,000 sentences in one paragraph. Sentence splitting
  // that rescans the text before every period is quadratic: at the 1 MiB cap (~61,000
  // sentences) that is minutes of CPU, far past a Worker's limit, on every cron run.
  it("1 MiB of short sentences in one paragraph builds, with its repeats dropped", () => {
    const { digest } = build(fill("The mayor spoke. ", MAX_ARTICLE_BYTES - 64));
    expect(digest.stories).toHaveLength(1);
    expect(sentencesOf(digest.stories[0].articles[0])).toEqual(["The mayor spoke."]);
  });
});

// ---------------------------------------------------------------------------------------------
// Property-based: random input never breaks the pipeline or the outputs.

const META: DigestMeta = { title: "Digest <script>", description: "Test & \"digest\" ]]>", siteUrl: BASE, language: "en", ttlMinutes: 15 };

const HOSTILE_PIECES = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//x.example/a.js>",
  "<scr<script>ipt>",
  "<img src=x onerror=alert(1)>",
  '<a href="javascript:alert(1)">x</a>',
  "[x](javascript:alert(1))",
  "[y]( JAVASCRIPT:alert(1) )",
  "<javascript:alert(1)>",
  "![i](javascript:alert(1))",
  "<svg/onload=alert(1)>",
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "&#60;script&#62;",
  "&#x3C;script&#x3E;",
  "]]>",
  "<![CDATA[",
  "]]]]><![CDATA[>",
  "<!--",
  "-->",
  "<?xml version=\"1.0\"?>",
  "\u0000",
  "\u0001\u0007\u001b",
  "\u0085\u009f",
  "\uFFFE\uFFFF",
  "\uD800",
  "\uDC00",
  "\u202e",
  "\u2028",
  "\uFEFF",
  "---\ntitle: <script>alert(1)</script>\nurl: javascript:alert(1)\nsource: <b onmouseover=alert(1)>x</b>\n---\n",
  "# Heading <script>\n",
  "- list item\n- another <img onerror=x>\n",
  "http://example.com/\"><script>alert(1)</script>\n",
  "© 2024 Example. All rights reserved.\n",
  "Related Posts\n",
  "Tokyo, 9 June, /AJMEDIA/\n",
];

const SENTENCES = [
  "The city council approved the new budget on Tuesday after a long debate, officials said.",
  "A magnitude 6.8 earthquake struck off the coast on Friday, damaging roads in the region.",
  "Talks between the two governments resumed in Geneva on Monday, diplomats said.",
  "The central bank held interest rates steady, citing slowing inflation.",
  "Firefighters brought the warehouse blaze under control by evening, the fire chief said.",
];

const piece = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 60 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
  { weight: 3, arbitrary: fc.constantFrom(...SENTENCES) },
  { weight: 2, arbitrary: fc.constantFrom("\n", "\n\n", "\r\n", " ", "\t", "# ", "> ", "---\n", "* ") },
);
const text = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(""));
const fileBytes = fc.oneof(
  { weight: 4, arbitrary: text.map(enc) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.tuple(fc.uint8Array({ maxLength: 8 }), text).map(([prefix, t]) => new Uint8Array([...prefix, ...enc(t)])) },
);
const fileName = fc.tuple(
  fc.constantFrom("a", "b", "news/c", "d-e_f", "Über", "x y", "deep/er/g"),
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom(".txt", ".md") }, { weight: 1, arbitrary: fc.constantFrom(".markdown", ".TXT", ".html", "") }),
).map(([name, ext]) => name + ext);
const entered = fc.option(fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()), { nil: null });
const corpusFile = fc.record({ path: fileName, bytes: fileBytes, entered });
const corpus = fc.uniqueArray(corpusFile, { minLength: 1, maxLength: 6, selector: (f) => f.path });

function expectOnlyRejection(error: unknown): void {
  if (!(error instanceof RejectedFileError)) throw error;
}

describe("property: random input", () => {
  // The token scan (shared by copy detection and every term list) is a one-pass rewrite of
  // three regular expressions; they stay its definition.
  it("tokenize gives the tokens its regular-expression definition gives", () => {
    const tokenPiece = fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
      { weight: 3, arbitrary: fc.constantFrom("'", "'s", "’s", "s", "x", "É", "\u0301", "\uD835\uDC00", "\uD835", "\uDC00", " ", "-", "1", "_", "İ", "ﬁ") },
    );
    fc.assert(
      fc.property(fc.array(tokenPiece, { maxLength: 16 }).map((parts) => parts.join("")), (raw) => {
        const byRegex = normalizeText(raw).toLowerCase().replace(/'s\b/g, "").replace(/'/g, "").match(/[\p{L}\p{N}]+/gu) ?? [];
        expect(tokenize(raw)).toEqual(byRegex);
      }),
      { numRuns: 2000 },
    );
  });

  it("ingest + clean never throw anything but RejectedFileError", () => {
    fc.assert(
      fc.property(corpusFile, (file) => {
        try {
          const article = clean(ingest(file));
          expect(typeof article.title).toBe("string");
          // The kept form reads back as it was made: every paragraph its sentences joined, none empty.
          const paragraphs = paragraphsOf(article);
          expect(paragraphs.map((p) => p.text)).toEqual(article.paragraphs);
          for (const p of paragraphs) {
            expect(p.sentences.length).toBeGreaterThan(0);
            expect(p.sentences.join(" ")).toBe(p.text);
            for (const sentence of p.sentences) expect(sentence).not.toBe("");
          }
          expect(paragraphs.flatMap((p) => p.sentences)).toHaveLength(article.sentenceEnds.length);
          expect(article.title).not.toMatch(/\u0000/);
        } catch (error) {
          expectOnlyRejection(error);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("ingest rejects every invalid UTF-8 byte string, with a reason", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        let valid = true;
        try {
          new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
        } catch {
          valid = false;
        }
        fc.pre(!valid || bytes.includes(0));
        expect(() => ingest({ path: "x.txt", bytes, entered: null })).toThrow(RejectedFileError);
      }),
      { numRuns: 200 },
    );
  });

  it("build + render never throw, and every output stays well-formed and script-free", async () => {
    await fc.assert(
      fc.asyncProperty(corpus, async (files: CorpusFile[]) => {
        const digest = buildDigest(files, { meta: META, generatedAt: "2024-08-02T12:00:00Z", fingerprint: "prop" });
        expect(digest.stats.articles + digest.rejected.length).toBe(files.length);
        const outputs: RenderedFile[] = renderSite(digest);
        for (const file of outputs) {
          if (file.path.endsWith(".xml")) {
            expect(xmlProblems(file.body), file.path).toEqual([]);
          } else if (file.path.endsWith(".json")) {
            expect(() => JSON.parse(file.body), file.path).not.toThrow();
          } else if (file.contentType.startsWith("text/html")) {
            await expectSafeHtml(file.body, file.path);
          }
        }
        const parsed = JSON.parse(outputs.find((f) => f.path === "digest.json")!.body) as DigestJson;
        expect(parsed.rejected.length + parsed.stories.reduce((n, s) => n + s.articles.length, 0)).toBe(files.length);
      }),
      { numRuns: 80 },
    );
  });
});
