// Shared helpers for every renderer: XML-safe text, HTML escaping, URLs, dates, story order.
// Everything here is pure and deterministic: no clock, no locale, no I/O.
import { MONTH_NAMES, toRfc3339 } from "../pipeline/dates";
import { outletFromUrl } from "../pipeline/ingest";
import type { DedupedArticle, Digest, Story } from "../pipeline/types";

// Characters XML 1.0 forbids (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates),
// plus DEL and the C1 controls, which XML 1.0 discourages and HTML reports as parse errors.
const XML_UNSAFE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Remove every character XML 1.0 cannot carry, so the text is safe in XML, HTML and JSON alike. */
export function xmlSafe(text: string): string {
  return text.replace(XML_UNSAFE, "");
}

/**
 * A value with xmlSafe() applied to every string in it (keys included). Parts in which
 * nothing changes are the caller's own, not copies: nearly all text is XML-safe already, and
 * copying every article's paragraphs doubled what a build holds while it renders.
 */
export function xmlSafeDeep<T>(value: T): T {
  if (typeof value === "string") return xmlSafe(value) as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item: unknown, i) => {
      const safe = xmlSafeDeep(item);
      if (copy === null && safe !== item) copy = value.slice(0, i);
      copy?.push(safe);
    });
    return (copy ?? value) as T;
  }
  if (value !== null && typeof value === "object") {
    let changed = false;
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => {
      const safeKey = xmlSafe(key);
      const safe = xmlSafeDeep(item);
      if (safeKey !== key || safe !== item) changed = true;
      return [safeKey, safe] as const;
    });
    return (changed ? Object.fromEntries(entries) : value) as T;
  }
  return value;
}

/** Escape text for HTML/XML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;",
  );
}

/** A CDATA section holding any text: every `]]>` is split across two sections. */
export function cdata(text: string): string {
  return "<![CDATA[" + xmlSafe(text).split("]]>").join("]]]]><![CDATA[>") + "]]>";
}

/** Site URL without a trailing slash. */
export function siteBase(digest: Digest): string {
  return digest.meta.siteUrl.replace(/\/+$/, "");
}

/** Root-relative path of a story page, as the Worker serves it. */
export function storyPath(id: string): string {
  return `/stories/${encodeURIComponent(id)}`;
}

/** Absolute story URL: the one stable identifier of a story in every output. */
export function storyUrl(digest: Digest, id: string): string {
  return siteBase(digest) + storyPath(id);
}

/** Root-relative path of a month's archive page ("2024-07"). */
export function archivePath(month: string): string {
  return `/archive/${month}`;
}

/** The UTC month of a time as an archive key: "2024-07". */
export function monthKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** "2024-07" → "July 2024". */
export function monthLabel(month: string): string {
  const [year, number] = month.split("-");
  const name = MONTH_NAMES[Number(number) - 1];
  return `${name[0].toUpperCase()}${name.slice(1)} ${year}`;
}

/** The URL when it is an absolute http(s) URL (normalized), else null: only these become links. */
export function httpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Host name of an http(s) URL without a leading "www.", else null. */
export function hostOf(url: string | null | undefined): string | null {
  const href = httpUrl(url);
  return href ? new URL(href).hostname.replace(/^www\./, "") : null;
}

/** Milliseconds since the epoch for an RFC 3339 string, or null when missing or unparseable. */
export function timeOf(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** RFC 3339 in UTC without milliseconds. */
export function rfc3339(ms: number): string {
  return toRfc3339(new Date(ms));
}

const MONTHS = MONTH_NAMES.map((name) => name[0].toUpperCase() + name.slice(1, 3));

/** Human date in UTC, stated so: "29 Jul 2024, 13:00 UTC". */
export function humanUtc(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** Build time of the digest; falls back to the newest story time, then the epoch (never the clock). */
export function buildTime(digest: Digest): number {
  const own = timeOf(digest.generatedAt);
  if (own !== null) return own;
  let latest: number | null = null;
  for (const s of digest.stories) {
    const t = timeOf(s.updated) ?? timeOf(s.published);
    if (t !== null && (latest === null || t > latest)) latest = t;
  }
  return latest ?? 0;
}

/** Story's last-updated time, falling back to first-reported, then the build time. */
export function storyUpdated(story: Story, digest: Digest): number {
  return timeOf(story.updated) ?? timeOf(story.published) ?? buildTime(digest);
}

/** Story's first-reported time, falling back to last-updated, then the build time. */
export function storyPublished(story: Story, digest: Digest): number {
  return timeOf(story.published) ?? timeOf(story.updated) ?? buildTime(digest);
}

/** Stories newest-updated first, undated stories last; ties keep the digest's order (sort is stable). */
export function sortStories(digest: Digest): Story[] {
  const key = (s: Story) => timeOf(s.updated) ?? timeOf(s.published) ?? -Infinity;
  return [...digest.stories].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka === kb ? 0 : kb > ka ? 1 : -1;
  });
}

/** An article's date: its publication date, else when it entered the corpus. */
export function articleTime(article: DedupedArticle): { ms: number; entered: boolean } | null {
  const published = timeOf(article.published);
  if (published !== null) return { ms: published, entered: false };
  const entered = timeOf(article.entered);
  return entered !== null ? { ms: entered, entered: true } : null;
}

/** Display name of an article's outlet: the outlet, else the one its http(s) URL names (as ingest names it), else null. */
export function outletName(article: DedupedArticle): string | null {
  const source = article.source?.trim();
  if (source) return source;
  const href = httpUrl(article.url);
  return href ? outletFromUrl(href) : null;
}

/** The summary as plain text: its sentences joined by spaces. */
export function summaryText(story: Story): string {
  return story.summary
    .map((s) => s.text.trim())
    .filter(Boolean)
    .join(" ");
}

/** Clip plain text to at most `max` characters at a word boundary, with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return (space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "") + "…";
}
