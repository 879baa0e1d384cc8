// Render a digest to the site's files: HTML pages, feeds, digest.json, stylesheet and icon.
// Pure, deterministic and synchronous: same digest in, byte-identical files out. Every time
// comes from the digest (generatedAt is the build time); nothing reads the clock.
import type { Digest } from "../pipeline/types";
import { FAVICON_SVG } from "../../templates/favicon";
import { archivePage } from "../../templates/archive";
import { frontPage } from "../../templates/front";
import { storyPage } from "../../templates/story";
import { STYLE_CSS } from "../../templates/style";
import { renderAtom, renderJsonFeed, renderRss } from "./feeds";
import { renderDigestJson } from "./json";
import { siteModel, type SiteModel, type StoryView } from "./model";
import { monthKey, xmlSafeDeep } from "./text";
import { appendTo } from "../pipeline/collections";

export interface RenderedFile {
  path: string;
  body: string;
  contentType: string;
}

/** Stories on the front page; every story is also on its month's archive page. */
export const FRONT_PAGE_STORIES = 30;

export const CONTENT_TYPES = {
  html: "text/html; charset=utf-8",
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  jsonFeed: "application/feed+json; charset=utf-8",
  json: "application/json; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
} as const;

/** The digest with every string made XML-safe: the one place text is cleaned for output. */
export function prepareDigest(digest: Digest): SiteModel {
  return siteModel(xmlSafeDeep(digest));
}

export interface ArchiveMonth {
  /** "2024-07" */
  month: string;
  /** Stories first reported that month (UTC), newest first. */
  stories: StoryView[];
}

/**
 * Stories by the month they were first reported, newest month first. That month only moves
 * when an earlier report joins the story, so a rebuild rewrites the archive pages of the
 * months its changes fall in, not every page after a story that moved up (as numbered
 * pages of a newest-first list would).
 */
function archiveMonths(site: SiteModel): ArchiveMonth[] {
  const months = new Map<string, StoryView[]>();
  for (const story of site.stories) appendTo(months, monthKey(story.published.ms), story);
  return [...months]
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([month, stories]) => ({ month, stories: stories.sort((a, b) => b.published.ms - a.published.ms || (a.id < b.id ? -1 : 1)) }));
}

/**
 * The site's files one at a time, each rendered when it is asked for, so a publish can hash
 * and let go of each (story pages hold their sources' text: the whole site is about as large
 * as the corpus). Same order every time: front page, archive months, stories, feeds.
 */
export function* renderFiles(digest: Digest): Generator<RenderedFile> {
  const site = prepareDigest(digest);
  const months = archiveMonths(site);
  yield {
    path: "index.html",
    body: frontPage({ site, stories: site.stories.slice(0, FRONT_PAGE_STORIES), months }).toString(),
    contentType: CONTENT_TYPES.html,
  };
  for (const [i, { month, stories }] of months.entries()) {
    yield {
      path: `archive/${month}.html`,
      body: archivePage({ site, month, stories, newer: months[i - 1]?.month ?? null, older: months[i + 1]?.month ?? null }).toString(),
      contentType: CONTENT_TYPES.html,
    };
  }
  for (const story of site.stories) {
    yield { path: `stories/${story.id}.html`, body: storyPage({ site, story }).toString(), contentType: CONTENT_TYPES.html };
  }
  yield { path: "rss.xml", body: renderRss(site), contentType: CONTENT_TYPES.rss };
  yield { path: "atom.xml", body: renderAtom(site), contentType: CONTENT_TYPES.atom };
  yield { path: "feed.json", body: renderJsonFeed(site), contentType: CONTENT_TYPES.jsonFeed };
  yield { path: "digest.json", body: renderDigestJson(site), contentType: CONTENT_TYPES.json };
  yield { path: "style.css", body: STYLE_CSS, contentType: CONTENT_TYPES.css };
  yield { path: "favicon.svg", body: FAVICON_SVG, contentType: CONTENT_TYPES.svg };
}

/** Every file at once, for callers that keep them all (tests, the local digest script). */
export function renderSite(digest: Digest): RenderedFile[] {
  return [...renderFiles(digest)];
}

export { xmlSafe, escapeHtml, cdata } from "./text";
export { renderAtom, renderJsonFeed, renderRss } from "./feeds";
export { renderDigestJson } from "./json";
export type { SiteModel, StoryView, SourceView } from "./model";
