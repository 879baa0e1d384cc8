// Page shell shared by every HTML page: head (title, description, Open Graph, canonical,
// feed discovery), header with the digest title and feed links, <main>, footer with build time
// (front page only).
// No scripts and no inline styles: the Worker applies a strict CSP.
import type { SiteModel } from "../src/render/model";
import { h, time, type Html } from "./html";

export interface LayoutProps {
  site: SiteModel;
  /** Document title (the <title> element). */
  title: string;
  /** Plain-text page description (meta description, og:description). */
  description: string;
  /** Root-relative path of this page, e.g. "/", "/archive/2024-07", "/stories/abc". */
  path: string;
  ogType: "website" | "article";
  /** Article times for og:type=article. */
  times?: { published: string; modified: string };
  body: Html;
  /**
   * Say when and from how much the digest was built. The front page only: a story or
   * archive page then depends on its stories alone, so a rebuild that leaves them alone
   * leaves its bytes (and ETag) alone too.
   */
  buildSummary: boolean;
}

export function layout(props: LayoutProps): Html {
  const { site, title, description, path, ogType, times, body, buildSummary } = props;
  const { meta } = site.digest;
  const canonical = site.base + path;
  const lang = meta.language.trim() || "en";
  return h`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<meta name="description" content="${description}">
<link rel="canonical" href="${canonical}">
<meta property="og:type" content="${ogType}">
<meta property="og:site_name" content="${meta.title}">
<meta property="og:title" content="${title}">
<meta property="og:description" content="${description}">
<meta property="og:url" content="${canonical}">
${times
  ? h`<meta property="article:published_time" content="${times.published}">
<meta property="article:modified_time" content="${times.modified}">
`
  : ""}<link rel="alternate" type="application/rss+xml" title="${meta.title} (RSS)" href="${site.base}/rss.xml">
<link rel="alternate" type="application/atom+xml" title="${meta.title} (Atom)" href="${site.base}/atom.xml">
<link rel="alternate" type="application/feed+json" title="${meta.title} (JSON Feed)" href="${site.base}/feed.json">
<link rel="stylesheet" href="/style.css">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
<div class="wrap">
<p class="brand"><a href="/">${meta.title}</a></p>
<nav aria-label="Feeds"><ul class="feeds">
<li><a href="/rss.xml">RSS feed</a></li>
<li><a href="/atom.xml">Atom feed</a></li>
<li><a href="/feed.json">JSON Feed</a></li>
</ul></nav>
</div>
</header>
<main id="main" class="wrap">
${body}
</main>
<footer class="site-footer">
<div class="wrap">
<p>${buildSummary
    ? h`Built ${time(site.built)} from ${site.digest.stats.articles} articles in ${site.stories.length} ${site.stories.length === 1 ? "story" : "stories"}. `
    : ""}<a href="/digest.json">Digest data (JSON)</a></p>
</div>
</footer>
</body>
</html>
`;
}
