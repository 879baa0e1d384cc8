// Browser checks for the e2e harness (scripts/e2e.mjs): the front page and a story page in
// headless Chromium at phone and desktop widths, link following, console/network hygiene,
// and axe-core accessibility scans. Screenshots go to test-results/.
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const WIDTHS = [
  { name: "390", viewport: { width: 390, height: 844 } },
  { name: "1280", viewport: { width: 1280, height: 800 } },
];

const FEED_LINKS = [
  { text: "RSS feed", path: "/rss.xml", type: "application/rss+xml" },
  { text: "Atom feed", path: "/atom.xml", type: "application/atom+xml" },
  { text: "JSON Feed", path: "/feed.json", type: "application/feed+json" },
];

/** axe impacts that fail the run; moderate/minor ones are printed but pass. */
const BLOCKING_IMPACTS = new Set(["serious", "critical"]);

const squash = (text) => (text ?? "").replace(/\s+/g, " ").trim();

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

let activeBrowser = null;

/** Closes the browser if one is open (also used by the harness on Ctrl-C). */
export async function closeActiveBrowser() {
  const browser = activeBrowser;
  activeBrowser = null;
  if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5_000))]);
}

/** The story the page checks use: the one with the most sources that has source markers. */
export function pickStory(digest) {
  const ranked = [...digest.stories].sort((a, b) => b.articles.length - a.articles.length);
  return ranked.find((s) => s.summary.some((sentence) => sentence.articles.length > 0)) ?? ranked[0];
}

/**
 * Watches a page for console errors, uncaught exceptions, failed requests and HTTP errors.
 * `problems` collects human-readable lines, each prefixed with where it happened.
 */
function watch(page, problems, label) {
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`${label()}: console error: ${msg.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${label()}: page error: ${error.message}`));
  page.on("requestfailed", (request) =>
    problems.push(`${label()}: request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? "?"})`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`${label()}: HTTP ${response.status()} for ${response.url()}`);
  });
}

async function goto(page, url) {
  const response = await page.goto(url, { waitUntil: "load", timeout: 15_000 });
  assert(response, `no response for ${url}`);
  assert(response.status() === 200, `${url} answered HTTP ${response.status()}`);
  return response;
}

async function checkFeedLinks(page, base) {
  const nav = page.getByRole("navigation", { name: "Feeds" });
  for (const feed of FEED_LINKS) {
    const link = nav.getByRole("link", { name: feed.text, exact: true });
    assert((await link.count()) === 1, `feed link "${feed.text}" not found (once) in the Feeds navigation`);
    assert(await link.isVisible(), `feed link "${feed.text}" is not visible`);
    const href = await link.evaluate((a) => a.href);
    assert(href === `${base}${feed.path}`, `feed link "${feed.text}" points to ${href}, expected ${base}${feed.path}`);
    const box = await link.boundingBox();
    assert(box && box.width > 0 && box.height > 0, `feed link "${feed.text}" has no size`);
    const alternate = page.locator(`head link[rel="alternate"][type="${feed.type}"]`);
    assert((await alternate.count()) === 1, `<link rel="alternate" type="${feed.type}"> missing from <head>`);
    const altHref = await alternate.getAttribute("href");
    assert(altHref === `${base}${feed.path}`, `<link rel="alternate" type="${feed.type}"> href is ${altHref}, expected ${base}${feed.path}`);
  }
}

/** Nothing may stick out sideways (the classic phone-width bug). */
async function checkNoHorizontalOverflow(page) {
  const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
    const width = window.innerWidth;
    const wide = [];
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1 && getComputedStyle(el).position !== "absolute") {
        wide.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className ? "." + String(el.className).split(" ").join(".") : ""} (right edge ${Math.round(r.right)}px)`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits: wide.slice(0, 5) };
  });
  assert(scrollWidth <= innerWidth, `page scrolls sideways: scrollWidth ${scrollWidth}px > viewport ${innerWidth}px; widest: ${culprits.join(", ")}`);
}

async function checkFrontPage(page, base, digest) {
  await goto(page, `${base}/`);
  const h1 = page.locator("h1");
  assert((await h1.count()) === 1, `front page has ${await h1.count()} <h1> elements`);
  assert(await h1.isVisible(), "front page <h1> is not visible");
  assert(squash(await h1.textContent()) === squash(digest.meta.title), `front page <h1> is "${squash(await h1.textContent())}"`);
  const shown = digest.stories.slice(0, 30); // FRONT_PAGE_STORIES (src/render/index.ts): the front page
  const cards = page.locator("ol.stories > li");
  assert((await cards.count()) === shown.length, `front page lists ${await cards.count()} stories, digest.json has ${shown.length} for it`);
  for (const [i, story] of shown.entries()) {
    const link = cards.nth(i).locator("h2 a");
    assert(await link.isVisible(), `story title link ${i + 1} ("${story.title}") is not visible`);
    assert(squash(await link.textContent()) === squash(story.title), `story ${i + 1} title is "${squash(await link.textContent())}", digest.json says "${story.title}"`);
    const href = await link.evaluate((a) => a.href);
    assert(href === story.url, `story ${i + 1} links to ${href}, digest.json url is ${story.url}`);
  }
  await checkFeedLinks(page, base);
  await checkNoHorizontalOverflow(page);
  return `h1, ${shown.length} story titles with links, 3 feed links visible; no sideways scroll`;
}

async function checkStoryPage(page, base, story) {
  await goto(page, story.url);
  const h1 = page.locator("h1");
  assert((await h1.count()) === 1, `story page has ${await h1.count()} <h1> elements`);
  assert(await h1.isVisible(), "story <h1> is not visible");
  assert(squash(await h1.textContent()) === squash(story.title), `story <h1> is "${squash(await h1.textContent())}", digest.json says "${story.title}"`);
  const sourcesHeading = page.getByRole("heading", { name: "Sources", exact: true });
  assert(await sourcesHeading.isVisible(), `"Sources" heading is not visible`);
  const items = page.locator("ol.sources > li");
  assert((await items.count()) === story.articles.length, `story page lists ${await items.count()} sources, digest.json has ${story.articles.length} articles`);
  for (const article of story.articles) {
    const item = page.locator(`ol.sources > li[id="${article.id}"]`);
    assert((await item.count()) === 1, `source ${article.id} (${article.path}) has no <li id> anchor`);
    const title = item.locator("h3");
    assert(await title.isVisible(), `source title for ${article.id} is not visible`);
    assert(squash(await title.textContent()) === squash(article.title), `source ${article.id} title is "${squash(await title.textContent())}", digest.json says "${article.title}"`);
    const outlet = item.locator(".outlet");
    assert(await outlet.isVisible(), `source ${article.id}: outlet label is not visible`);
    if (article.source) assert(squash(await outlet.textContent()) === squash(article.source), `source ${article.id}: outlet "${squash(await outlet.textContent())}" != "${article.source}"`);
  }
  // pickStory takes a story with a summary; the seeds' story has one.
  assert(story.summary.some((s) => s.text.trim()), `story ${story.id} has no summary to show`);
  assert(await page.locator("p.summary").isVisible(), "summary paragraph is not visible");
  await checkFeedLinks(page, base);
  await checkNoHorizontalOverflow(page);
  return `h1 = story title, ${story.articles.length} source(s) with visible title and outlet, summary, 3 feed links visible; no sideways scroll`;
}

async function runAxe(context, url, axePath) {
  const page = await context.newPage();
  try {
    await goto(page, url);
    await page.addScriptTag({ path: axePath });
    return await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const result = await axe.run(document, { resultTypes: ["violations"] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html, summary: n.failureSummary })),
      }));
    });
  } finally {
    await page.close();
  }
}

function formatViolations(where, violations) {
  return violations.map((v) => {
    const nodes = v.nodes
      .slice(0, 5)
      .map((n) => `      - ${n.target}: ${n.html.slice(0, 160)}\n        ${(n.summary ?? "").replace(/\n\s*/g, " | ")}`)
      .join("\n");
    const more = v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : "";
    return `${where}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
  });
}

/**
 * Runs every browser check through `check(name, fn)` (fn returns a detail string or throws).
 * Screenshots are written to `outDir` as front-390.png, front-1280.png, story-390.png, story-1280.png.
 */
export async function browserChecks({ base, digest, check, outDir }) {
  await mkdir(outDir, { recursive: true });
  const story = pickStory(digest);
  const axePath = join(require.resolve("axe-core/package.json"), "..", "axe.min.js");
  let browser;
  const ok = await check("browser: launch Chromium", async () => {
    // The harness handles signals itself (stops wrangler dev too) and calls closeActiveBrowser().
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    activeBrowser = browser;
    return `Chromium ${browser.version()}`;
  });
  if (!ok) return;
  try {
    const problems = [];
    let where = "";
    const contexts = [];
    for (const width of WIDTHS) {
      // Real CSP: what readers get. No bypass here, so CSP violations show as console errors.
      const context = await browser.newContext({ viewport: width.viewport, colorScheme: "light" });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      watch(page, problems, () => where);

      await check(`browser: front page at ${width.name}px`, async () => {
        where = `front page ${width.name}px`;
        const detail = await checkFrontPage(page, base, digest);
        await page.screenshot({ path: join(outDir, `front-${width.name}.png`), fullPage: true });
        return detail;
      });

      await check(`browser: story page at ${width.name}px (${story.id})`, async () => {
        where = `story page ${width.name}px`;
        const detail = await checkStoryPage(page, base, story);
        await page.screenshot({ path: join(outDir, `story-${width.name}.png`), fullPage: true });
        return detail;
      });

      if (width.name === "1280") {
        await check("browser: follow a story link from the front page", async () => {
          where = "front page → story";
          await goto(page, `${base}/`);
          const link = page.locator("ol.stories > li h2 a", { hasText: story.title }).first();
          await Promise.all([page.waitForURL(story.url, { timeout: 10_000 }), link.click()]);
          const title = squash(await page.locator("h1").textContent());
          assert(title === squash(story.title), `after the click the <h1> is "${title}", expected "${story.title}"`);
          return `clicked "${story.title}" → ${page.url()}`;
        });

        await check("browser: follow a source marker on the story page", async () => {
          where = "story page source markers";
          if (page.url() !== story.url) await goto(page, story.url);
          const marks = page.locator("p.summary sup a");
          const count = await marks.count();
          assert(count > 0, `story ${story.id} has no superscript source markers in its summary`);
          const ids = new Set(story.articles.map((a) => a.id));
          const hrefs = await marks.evaluateAll((as) => as.map((a) => a.getAttribute("href")));
          const dangling = hrefs.filter((h) => !h?.startsWith("#") || !ids.has(h.slice(1)));
          assert(dangling.length === 0, `markers pointing at no source of this story: ${dangling.join(", ")}`);
          const mark = marks.last();
          const href = await mark.getAttribute("href");
          const number = squash(await mark.textContent());
          await mark.click();
          await page.waitForFunction((h) => location.hash === h, href, { timeout: 5_000 });
          const target = page.locator(`ol.sources > li[id="${href.slice(1)}"]`);
          assert(await target.evaluate((el) => el.matches(":target")), `${href} is not the :target after the click`);
          const inView = await target.evaluate((el) => {
            const r = el.getBoundingClientRect();
            return r.top < window.innerHeight && r.bottom > 0;
          });
          assert(inView, `source ${href} is not scrolled into view after clicking marker ${number}`);
          const position = await target.evaluate((el) => [...el.parentElement.children].indexOf(el) + 1);
          assert(String(position) === number, `marker "${number}" links to the source listed at position ${position}`);
          return `${count} marker(s), all point at sources; clicked [${number}] → ${href} is :target and in view`;
        });
      }
      await page.close();
    }

    await check("browser: no console errors, failed requests or HTTP errors", async () => {
      assert(problems.length === 0, `${problems.length} problem(s):\n    ${problems.join("\n    ")}`);
      return "none on any page at either width (real CSP enforced)";
    });
    for (const context of contexts) await context.close();

    // axe: its script needs the CSP bypassed; nothing else differs.
    for (const [name, url] of [
      ["front page", `${base}/`],
      [`story page (${story.id})`, story.url],
      [`archive page (${story.published.slice(0, 7)})`, `${base}/archive/${story.published.slice(0, 7)}`],
    ]) {
      await check(`axe-core: ${name} (390px, 1280px, dark 1280px)`, async () => {
        const blocking = [];
        const minor = [];
        for (const run of [...WIDTHS.map((w) => ({ ...w, colorScheme: "light" })), { ...WIDTHS[1], name: "1280 dark", colorScheme: "dark" }]) {
          const context = await browser.newContext({ viewport: run.viewport, colorScheme: run.colorScheme, bypassCSP: true });
          try {
            const violations = await runAxe(context, url, axePath);
            blocking.push(...formatViolations(`${name} ${run.name}px`, violations.filter((v) => BLOCKING_IMPACTS.has(v.impact))));
            minor.push(...violations.filter((v) => !BLOCKING_IMPACTS.has(v.impact)).map((v) => `${v.id} (${v.impact}, ${run.name}px)`));
          } finally {
            await context.close();
          }
        }
        assert(blocking.length === 0, `serious/critical violations:\n    ${blocking.join("\n    ")}`);
        return `no serious/critical violations${minor.length ? `; moderate/minor: ${[...new Set(minor)].join(", ")}` : ""}`;
      });
    }
  } finally {
    await closeActiveBrowser();
  }
}
