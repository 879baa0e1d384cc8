// Render a digest to the site's files: HTML pages, feeds, digest.json, stylesheet and icon.
// Pure, deterministic and synchronous: same digest in, byte-identical files out. Every time
// comes from the digest (generatedAt is the build time); nothing reads the clock.
import type { Digest } from "../pipeline/types";
import { FAVICON_SVG } from "../../templates/favicon";
import { frontPage } from "../../templates/front";
import { storyPage } from "../../templates/story";
import { STYLE_CSS } from "../../templates/style";
import { renderAtom, renderJsonFeed, renderRss } from "./feeds";
import { renderDigestJson } from "./json";
import { siteModel, type SiteModel } from "./model";
import { xmlSafeDeep } from "./text";

export interface RenderedFile {
  path: string;
  body: string;
  contentType: string;
}

/** Stories per front/archive page; page n ≥ 2 is served at /page/n. */
export const STORIES_PER_PAGE = 30;

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

/** Number of front/archive pages (at least 1). */
export function pageCount(stories: number): number {
  return Math.max(1, Math.ceil(stories / STORIES_PER_PAGE));
}

export function renderSite(digest: Digest): RenderedFile[] {
  const site = prepareDigest(digest);
  const files: RenderedFile[] = [];
  const pages = pageCount(site.stories.length);
  for (let page = 1; page <= pages; page++) {
    const stories = site.stories.slice((page - 1) * STORIES_PER_PAGE, page * STORIES_PER_PAGE);
    files.push({
      path: page === 1 ? "index.html" : `page/${page}.html`,
      body: frontPage({ site, stories, page, pages }).toString(),
      contentType: CONTENT_TYPES.html,
    });
  }
  for (const story of site.stories) {
    files.push({
      path: `stories/${story.id}.html`,
      body: storyPage({ site, story }).toString(),
      contentType: CONTENT_TYPES.html,
    });
  }
  files.push(
    { path: "rss.xml", body: renderRss(site), contentType: CONTENT_TYPES.rss },
    { path: "atom.xml", body: renderAtom(site), contentType: CONTENT_TYPES.atom },
    { path: "feed.json", body: renderJsonFeed(site), contentType: CONTENT_TYPES.jsonFeed },
    { path: "digest.json", body: renderDigestJson(site), contentType: CONTENT_TYPES.json },
    { path: "style.css", body: STYLE_CSS, contentType: CONTENT_TYPES.css },
    { path: "favicon.svg", body: FAVICON_SVG, contentType: CONTENT_TYPES.svg },
  );
  return files;
}

export { xmlSafe, escapeHtml, cdata } from "./text";
export { renderAtom, renderJsonFeed, renderRss } from "./feeds";
export { renderDigestJson } from "./json";
export type { SiteModel, StoryView, SourceView } from "./model";
