// View models shared by the HTML pages and the feeds: what a story and its sources look like
// once URLs, dates, source numbers and duplicate links are settled.
import type { DedupedArticle, Digest, Story } from "../pipeline/types";
import {
  articleTime,
  buildTime,
  hostOf,
  httpUrl,
  humanUtc,
  outletName,
  rfc3339,
  siteBase,
  sortStories,
  storyPath,
  storyPublished,
  storyUpdated,
  storyUrl,
  summaryText,
  timeOf,
} from "./text";

/** Where an article lives on the site: its story and its position among that story's sources. */
export interface ArticleRef {
  story: Story;
  article: DedupedArticle;
}

export interface SourceView {
  /** Article id: the anchor (`id="..."`) of the source on its story page. */
  id: string;
  /** 1-based position among the story's sources: the superscript number. */
  number: number;
  article: DedupedArticle;
  /** Outlet as the digest names it (null when unknown). */
  outlet: string | null;
  /** Outlet for display: the outlet, else the URL's host, else "Unnamed outlet". */
  label: string;
  title: string;
  /** Original article URL, only when it is http(s). */
  url: string | null;
  host: string | null;
  /** The story page's anchor for this source. */
  anchorUrl: string;
  /** Best link for feeds: the original when known, else the story page's anchor. */
  link: string;
  /** Article date (published, else corpus-entry time). */
  time: { ms: number; iso: string; human: string; entered: boolean } | null;
  /** The original this article copies, when it is a near-duplicate. */
  duplicate: { id: string; title: string | null; href: string | null } | null;
}

export interface StoryView {
  story: Story;
  id: string;
  title: string;
  /** Root-relative path of the story page. */
  path: string;
  /** Absolute URL of the story page: the story's stable identifier. */
  url: string;
  published: { ms: number; iso: string; human: string };
  updated: { ms: number; iso: string; human: string };
  /**
   * Whether `published` is an article's own date. Otherwise it is when the story's first
   * article entered the corpus (or the build time): pages say "Added", not "First reported".
   */
  dated: boolean;
  summaryText: string;
  sources: SourceView[];
  byId: Map<string, SourceView>;
  /** Distinct outlet names in source order. */
  outlets: string[];
  /** Number of sources whose outlet is unknown. */
  unnamed: number;
  duplicates: number;
}

export interface SiteModel {
  digest: Digest;
  base: string;
  built: { ms: number; iso: string; human: string };
  /** Stories newest-updated first. */
  stories: StoryView[];
}

function stamp(ms: number) {
  return { ms, iso: rfc3339(ms), human: humanUtc(ms) };
}

/** Build the view model of a (sanitized) digest. */
export function siteModel(digest: Digest): SiteModel {
  const sorted = sortStories(digest);
  const index = new Map<string, ArticleRef>();
  for (const story of sorted) {
    for (const article of story.articles) if (!index.has(article.id)) index.set(article.id, { story, article });
  }
  return {
    digest,
    base: siteBase(digest),
    built: stamp(buildTime(digest)),
    stories: sorted.map((story) => storyView(digest, story, index)),
  };
}

function storyView(digest: Digest, story: Story, index: Map<string, ArticleRef>): StoryView {
  const url = storyUrl(digest, story.id);
  const sources = story.articles.map((article, i): SourceView => {
    const href = httpUrl(article.url);
    const time = articleTime(article);
    const anchorUrl = `${url}#${encodeURIComponent(article.id)}`;
    let duplicate: SourceView["duplicate"] = null;
    if (article.duplicateOf) {
      const ref = index.get(article.duplicateOf);
      duplicate = {
        id: article.duplicateOf,
        title: ref ? ref.article.title : null,
        href: !ref
          ? null
          : ref.story === story
            ? `#${article.duplicateOf}`
            : `${storyPath(ref.story.id)}#${article.duplicateOf}`,
      };
    }
    return {
      id: article.id,
      number: i + 1,
      article,
      outlet: article.source,
      label: outletName(article) ?? "Unnamed outlet",
      title: article.title.trim() || "Untitled article",
      url: href,
      host: hostOf(href),
      anchorUrl,
      link: href ?? anchorUrl,
      time: time ? { ...stamp(time.ms), entered: time.entered } : null,
      duplicate,
    };
  });
  const outlets: string[] = [];
  let unnamed = 0;
  for (const s of sources) {
    const name = outletName(s.article);
    if (name === null) unnamed++;
    else if (!outlets.includes(name)) outlets.push(name);
  }
  return {
    story,
    id: story.id,
    title: story.title.trim() || "Untitled story",
    path: storyPath(story.id),
    url,
    published: stamp(storyPublished(story, digest)),
    updated: stamp(storyUpdated(story, digest)),
    dated: timeOf(story.published) !== null && story.articles.some((a) => timeOf(a.published) === timeOf(story.published)),
    summaryText: summaryText(story),
    sources,
    byId: new Map(sources.map((s) => [s.id, s])),
    outlets,
    unnamed,
    duplicates: sources.filter((s) => s.duplicate !== null).length,
  };
}
