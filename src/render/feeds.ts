// RSS 2.0 and Atom 1.0 through the `feed` package, JSON Feed 1.1 by hand (`feed` emits 1.0).
// One item per story, newest-updated first; the story URL is the item's identity everywhere.
import { Feed, type FeedOptions } from "feed";
import type { SiteModel, SourceView, StoryView } from "./model";
import { cdata, escapeHtml, xmlSafe } from "./text";

export const GENERATOR = "news-digest";

/** Absolute URLs of the site's feeds. */
export function feedUrls(base: string) {
  return { rss: `${base}/rss.xml`, atom: `${base}/atom.xml`, json: `${base}/feed.json` };
}

function sourceDateText(source: SourceView): string {
  return source.time ? source.time.human : "date unknown";
}

function duplicateNote(source: SourceView): string | null {
  if (!source.duplicate) return null;
  return source.duplicate.title ? `same text as “${source.duplicate.title}”` : "near-duplicate of another article";
}

/** Item body as HTML: the summary, then the sources (escaped text throughout). */
export function itemContentHtml(story: StoryView): string {
  const parts: string[] = [];
  if (story.summaryText) parts.push(`<p>${escapeHtml(story.summaryText)}</p>`);
  parts.push(`<p>${escapeHtml(story.sources.length === 1 ? "Source:" : `Sources (${story.sources.length}):`)}</p>`);
  const items = story.sources.map((s) => {
    const note = duplicateNote(s);
    return (
      `<li>${escapeHtml(s.label)}: <a href="${escapeHtml(s.link)}">${escapeHtml(s.title)}</a>, ` +
      `${escapeHtml(sourceDateText(s))}${note ? ` (${escapeHtml(note)})` : ""}</li>`
    );
  });
  parts.push(`<ul>${items.join("")}</ul>`);
  parts.push(`<p><a href="${escapeHtml(story.url)}">All sources and article texts</a></p>`);
  return parts.join("\n");
}

/** Item body as plain text: the same content as itemContentHtml without markup. */
export function itemContentText(story: StoryView): string {
  const lines: string[] = [];
  if (story.summaryText) lines.push(story.summaryText, "");
  lines.push(story.sources.length === 1 ? "Source:" : `Sources (${story.sources.length}):`);
  for (const s of story.sources) {
    const note = duplicateNote(s);
    lines.push(`- ${s.label}: ${s.title}, ${sourceDateText(s)}${note ? ` (${note})` : ""} <${s.link}>`);
  }
  lines.push("", `All sources and article texts: ${story.url}`);
  return lines.join("\n");
}

function feedOptions(site: SiteModel): FeedOptions {
  const { meta } = site.digest;
  return {
    id: `${site.base}/`,
    title: meta.title,
    description: meta.description,
    link: `${site.base}/`,
    language: meta.language,
    ttl: meta.ttlMinutes > 0 ? meta.ttlMinutes : undefined,
    updated: new Date(site.built.ms),
    generator: GENERATOR,
    feedLinks: feedUrls(site.base),
    author: { name: meta.title, link: `${site.base}/` },
    favicon: `${site.base}/favicon.svg`,
  };
}

/**
 * Placeholder for a title `feed` would put in a CDATA section without splitting every `]]>`:
 * U+FFFF never survives xmlSafe(), so it cannot collide with digest text.
 */
const PLACEHOLDER_MARK = "\uFFFF";
function titlePlaceholder(i: number): string {
  return `${PLACEHOLDER_MARK}${i}${PLACEHOLDER_MARK}`;
}
const PLACEHOLDER_IN_CDATA = new RegExp(`<!\\[CDATA\\[${PLACEHOLDER_MARK}(\\d+)${PLACEHOLDER_MARK}\\]\\]>`, "g");

/**
 * Stories a feed carries: the newest ones. Readers poll feeds every few minutes, so a feed is
 * the recent window (as news sites' feeds are); every story stays on the web pages and in
 * digest.json.
 */
export const FEED_ITEMS = 50;

function feedStories(site: SiteModel): SiteModel["stories"] {
  return site.stories.slice(0, FEED_ITEMS);
}

/** RSS 2.0: plain-text titles (CDATA), HTML description and content:encoded, guid isPermaLink="false". */
export function renderRss(site: SiteModel): string {
  const feed = new Feed(feedOptions(site));
  const stories = feedStories(site);
  stories.forEach((story, i) => {
    feed.addItem({
      title: titlePlaceholder(i),
      id: story.url,
      link: story.url,
      date: new Date(story.updated.ms),
      published: new Date(story.published.ms),
      description: escapeHtml(story.summaryText),
      content: itemContentHtml(story),
    });
  });
  // One pass over the XML for all titles (one search per title made rendering quadratic).
  let replaced = 0;
  const xml = feed.rss2().replace(PLACEHOLDER_IN_CDATA, (_, i: string) => {
    replaced++;
    return cdata(stories[Number(i)].title);
  });
  if (replaced !== stories.length) throw new Error(`RSS title placeholders: ${replaced} of ${stories.length} found`);
  return finishXml(xml);
}

/** Atom 1.0: `feed` writes entry title/summary/content as type="html", so they get escaped HTML. */
export function renderAtom(site: SiteModel): string {
  const feed = new Feed(feedOptions(site));
  for (const story of feedStories(site)) {
    feed.addItem({
      title: escapeHtml(story.title),
      id: story.url,
      link: story.url,
      date: new Date(story.updated.ms),
      published: new Date(story.published.ms),
      description: escapeHtml(story.summaryText),
      content: itemContentHtml(story),
    });
  }
  return finishXml(feed.atom1());
}

function finishXml(xml: string): string {
  // Belt and braces: the inputs are already xmlSafe(); keep the output so whatever `feed` adds.
  return xmlSafe(xml).replace(/\s+$/, "") + "\n";
}

/** JSON Feed 1.1 with a `_digest` extension listing each item's sources as data. */
export function renderJsonFeed(site: SiteModel): string {
  const { meta } = site.digest;
  const urls = feedUrls(site.base);
  const feed = {
    version: "https://jsonfeed.org/version/1.1",
    title: meta.title,
    home_page_url: `${site.base}/`,
    feed_url: urls.json,
    description: meta.description,
    favicon: `${site.base}/favicon.svg`,
    language: meta.language,
    authors: [{ name: meta.title, url: `${site.base}/` }],
    items: feedStories(site).map((story) => ({
      id: story.url,
      url: story.url,
      title: story.title,
      content_html: itemContentHtml(story),
      content_text: itemContentText(story),
      summary: story.summaryText,
      date_published: story.published.iso,
      date_modified: story.updated.iso,
      _digest: {
        sources: story.sources.map((s) => ({
          id: s.id,
          outlet: s.outlet,
          title: s.title,
          path: s.article.path,
          url: s.url,
          published: s.article.published,
          duplicateOf: s.article.duplicateOf,
        })),
      },
    })),
  };
  return JSON.stringify(feed, null, 2) + "\n";
}
