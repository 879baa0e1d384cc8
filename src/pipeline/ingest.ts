// Stage 1, ingest: bytes → text → an article with its header read (URL, headline, date,
// outlet) and its body as plain-text paragraphs. Markdown goes through marked's lexer, so
// raw HTML in it is read as text and never passed on as markup.
import { marked, type Token, type Tokens } from "marked";
import { parseDate } from "./dates";
import {
  INLINE_DATELINE,
  agencyInDateline,
  copyrightHolder,
  isCaption,
  isDateline,
  isPunctuationOnly,
  isSectionMarker,
  isSocialLine,
  endsWithAbbreviation,
  looksLikeHeadline,
  looksLikeHeadlineOfSentences,
} from "./signals";
import type { CorpusFile, IngestedArticle } from "./types";
import { AUXILIARIES, bareWord, hash64, isLongPastForm, splitSentences, wordCount, wordCountUpTo } from "./text";

export const MAX_ARTICLE_BYTES = 1024 * 1024;

/** Why a file cannot be an article; `kind` lets an upload answer with the matching HTTP status. */
export class RejectedFileError extends Error {
  constructor(
    message: string,
    readonly kind: "size" | "binary" | "encoding" | "empty" | "content" = "content",
  ) {
    super(message);
  }
}

/** Is this path an article the corpus should read? */
export function isArticlePath(path: string): boolean {
  return /\.(txt|md|markdown)$/i.test(path);
}

/** Stable article id from its corpus path: URL-safe, same path → same id. */
export function articleId(path: string): string {
  return "a" + hash64(path.normalize("NFC")).slice(0, 12);
}

// Stateless between calls (no streaming), so one decoder serves every file.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Decode one file, or throw RejectedFileError saying why it cannot be an article. */
export function decodeFile(file: CorpusFile): string {
  const size = Math.max(file.size ?? 0, file.bytes.byteLength);
  if (size > MAX_ARTICLE_BYTES) {
    throw new RejectedFileError(`file is ${size} bytes; articles may be at most ${MAX_ARTICLE_BYTES} bytes`, "size");
  }
  if (file.bytes.includes(0)) throw new RejectedFileError("binary file: contains NUL bytes", "binary");
  let text: string;
  try {
    text = UTF8.decode(file.bytes);
  } catch {
    throw new RejectedFileError("not valid UTF-8 text", "encoding");
  }
  // Strip C0/C1 controls other than tab and newlines: they are never meant as text. So are
  // soft hyphens, zero-width spaces and word joiners: invisible, they still split a word
  // ("Obama\u00ADcare") or hide a headline's first letter. (ZWJ/ZWNJ stay: they shape scripts and emoji.)
  text = text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B\u2060\uFEFF\uFFFE\uFFFF]/g, "");
  text = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
  if (!text.trim()) throw new RejectedFileError("empty file: no text", "empty");
  return text;
}

/** Ingest one corpus file. Throws RejectedFileError for files that cannot be read as articles. */
export function ingest(file: CorpusFile): IngestedArticle {
  const text = decodeFile(file);
  const markdown = /\.(md|markdown)$/i.test(file.path);
  const base: IngestedArticle = {
    id: articleId(file.path),
    path: file.path,
    contentHash: hash64(text),
    format: markdown ? "markdown" : "text",
    url: null,
    headline: null,
    published: null,
    source: null,
    author: null,
    entered: file.entered,
    paragraphs: [],
  };
  const { fields, body } = markdown ? splitFrontMatter(text) : { fields: {}, body: text };
  const blocks = markdown ? markdownBlocks(body) : textBlocks(body);
  const article = readHeader(base, blocks, Boolean(fields.title));
  applyFrontMatter(article, fields);
  if (article.paragraphs.length === 0 && !article.headline) throw new RejectedFileError("no article text found");
  return article;
}

/** Front matter (`---` YAML-style `key: value` lines) always wins over what the text says. */
function splitFrontMatter(text: string): { fields: Record<string, string>; body: string } {
  const match = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text);
  if (!match) return { fields: {}, body: text };
  const fields: Record<string, string> = {};
  for (const line of match[1].split("\n")) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!kv) continue;
    let value = kv[2].trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1).replace(/\\"/g, '"');
    if (value) fields[kv[1].toLowerCase()] = value;
  }
  return { fields, body: text.slice(match[0].length) };
}

function applyFrontMatter(article: IngestedArticle, fields: Record<string, string>): void {
  if (fields.title) article.headline = cleanLine(fields.title);
  const date = fields.date ?? fields.published ?? fields.pubdate;
  if (date) article.published = parseDate(date) ?? article.published;
  const source = fields.source ?? fields.outlet ?? fields.publisher;
  if (source) article.source = cleanLine(source);
  if (fields.url && /^https?:\/\//i.test(fields.url)) {
    article.url = fields.url;
    if (!source) article.source = outletFromUrl(fields.url);
  }
  if (fields.author) article.author = cleanLine(fields.author);
}

interface Block {
  lines: string[];
  /** Markdown heading level, if the block is a heading. */
  heading?: number;
}

/** Plain text: blank lines separate blocks; inside a block each line is a paragraph unless hard-wrapped. */
function textBlocks(text: string): Block[] {
  return text
    .split(/\n\s*\n/)
    .map((chunk) => chunk.split("\n").map(cleanLine).filter(Boolean))
    .filter((lines) => lines.length > 0)
    .map((lines) => ({ lines: isHardWrapped(lines) ? [lines.join(" ")] : lines }));
}

// Hard-wrapped prose: several lines of similar width most of which stop mid-sentence.
function isHardWrapped(lines: string[]): boolean {
  if (lines.length < 4 || lines.some((line) => /^https?:\/\//i.test(line))) return false;
  const body = lines.slice(0, -1);
  const widths = body.map((line) => line.length);
  const unterminated = body.filter((line) => !/[.!?:"'\u201D]$/.test(line)).length;
  const min = Math.min(...widths);
  const max = Math.max(...widths);
  return min >= 50 && max <= 100 && max - min <= 25 && unterminated / body.length >= 0.6;
}

function markdownBlocks(body: string): Block[] {
  const blocks: Block[] = [];
  const visit = (tokens: Token[]): void => {
    for (const token of tokens) {
      switch (token.type) {
        case "heading":
          blocks.push({ lines: [inlineText((token as Tokens.Heading).tokens)], heading: (token as Tokens.Heading).depth });
          break;
        case "paragraph":
          blocks.push({ lines: [inlineText((token as Tokens.Paragraph).tokens)] });
          break;
        case "blockquote":
          visit((token as Tokens.Blockquote).tokens);
          break;
        case "list":
          blocks.push({ lines: (token as Tokens.List).items.map((item) => inlineText(item.tokens)) });
          break;
        case "html":
        case "text":
          blocks.push({ lines: [stripTags((token as Tokens.Text).text)] });
          break;
        default:
          break; // code, tables, rules: not prose
      }
    }
  };
  visit(marked.lexer(body));
  return blocks
    .map((block) => ({ ...block, lines: block.lines.flatMap((line) => line.split("\n")).map(cleanLine).filter(Boolean) }))
    .filter((block) => block.lines.length > 0);
}

function inlineText(tokens: Token[] | undefined): string {
  if (!tokens) return "";
  const parts: string[] = [];
  // Inline <script>/<style> arrive as separate open, text and close tokens: skip what is between.
  let insideCode = false;
  for (const token of tokens) {
    if (token.type === "html") {
      if (/^<(script|style)\b/i.test(token.raw) && !/<\/(script|style)>/i.test(token.raw)) insideCode = true;
      else if (/^<\/(script|style)/i.test(token.raw)) insideCode = false;
      else parts.push(stripTags(token.raw));
      continue;
    }
    if (insideCode) continue;
    if ("tokens" in token && Array.isArray(token.tokens) && token.tokens.length) parts.push(inlineText(token.tokens));
    else if (token.type === "br") parts.push("\n");
    else if (token.type === "image") continue;
    else if (token.type === "escape" || token.type === "codespan" || token.type === "text") parts.push(decodeEntities((token as Tokens.Text).text));
    else if ("raw" in token) parts.push(token.raw);
  }
  return parts.join("");
}

function stripTags(html: string): string {
  return decodeEntities(html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " "));
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (entity, code: string) => {
    const lower = code.toLowerCase();
    if (lower.startsWith("#x")) return safeCodePoint(parseInt(lower.slice(2), 16), entity);
    if (lower.startsWith("#")) return safeCodePoint(parseInt(lower.slice(1), 10), entity);
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " }[lower] ?? entity;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : fallback;
}

// A tab or no-break space, or a space followed by blank: what cleanLine() would rewrite.
const UNCOLLAPSED_BLANK = /[\t\u00A0]| [ \t\u00A0]/;

function cleanLine(line: string): string {
  // Most lines have single spaces only: skip the rewrite when there is nothing to collapse.
  return (UNCOLLAPSED_BLANK.test(line) ? line.replace(/[ \t\u00A0]+/g, " ") : line).trim();
}

/**
 * Read the header: URL lines, datelines and the headline at the top, in whatever order the
 * page printed them; then datelines in the first body paragraphs and one inline at the start
 * of the lead ("TOKYO –"). Everything else is body. A headline in sentences is only sought
 * when front matter gave no title: there the first paragraph is the lead.
 */
function readHeader(article: IngestedArticle, blocks: Block[], titled: boolean): IngestedArticle {
  const lines: { text: string; block: number; heading?: number }[] = [];
  blocks.forEach((block, index) => block.lines.forEach((text) => lines.push({ text, block: index, heading: block.heading })));

  let cursor = 0;
  const firstBlockIsHeader = blocks.length > 1 && blocks[0].lines.length >= 2 && blocks[0].lines.every((line) => wordCountUpTo(line, 40) <= 40);
  const headerEnd = firstBlockIsHeader ? blocks[0].lines.length : Math.min(lines.length, 4);
  const deck: string[] = [];
  while (cursor < headerEnd && cursor < lines.length) {
    const { text, heading } = lines[cursor];
    const dated = article.headline ? null : datedHeadline(text);
    if (/^https?:\/\/\S+$/i.test(text)) {
      article.url ??= text;
    } else if (dated) {
      takeDateline(article, dated.date);
      article.headline = withoutFinalStop(dated.headline);
    } else if (isDateline(text)) {
      takeDateline(article, text);
    } else if (isCaption(text) || isPunctuationOnly(text) || isSectionMarker(text) || isSocialLine(text)) {
      // page furniture above the headline
    } else if (
      !article.headline &&
      (heading !== undefined ||
        looksLikeHeadline(text) ||
        (!titled && cursor === firstText(lines) && (datedInHeader(lines, cursor, firstBlockIsHeader) || (standsAlone(blocks, lines, cursor) && looksLikeHeadlineOfSentences(text, lines[cursor + 1].text)))))
    ) {
      article.headline = withoutFinalStop(text);
    } else if (firstBlockIsHeader && article.headline) {
      if (deck.length === 0 && continuesHeadline(article.headline, text)) article.headline += " " + text;
      else deck.push(text);
    } else {
      break;
    }
    cursor++;
  }
  const body = lines.slice(cursor).map((line) => line.text);
  // Datelines that open the body as their own paragraph ("Tokyo, 9 June, /AJMEDIA/").
  while (body.length > 1 && isDateline(body[0])) takeDateline(article, body.shift()!);
  // A headline after a leading date block ("April 27, 2009" / blank / headline / body).
  if (!article.headline && body.length > 1 && looksLikeHeadline(body[0]) && !isSectionMarker(body[0])) {
    article.headline = body.shift()!;
    while (body.length > 1 && isDateline(body[0])) takeDateline(article, body.shift()!);
  }
  // A deck written as sentences is the article's own summary: keep it as the first paragraph.
  const sentenceDeck = deck.filter((line) => /[.!?]["']?$/.test(line) && wordCount(line) >= 6);
  const paragraphs = [...sentenceDeck, ...body];
  if (paragraphs.length > 0) paragraphs[0] = stripInlineDateline(article, paragraphs[0]);
  article.paragraphs = paragraphs.filter(Boolean);
  if (article.url && !article.source) article.source = outletFromUrl(article.url);
  for (const paragraph of article.paragraphs) {
    const holder = copyrightHolder(paragraph);
    if (holder && !article.source) article.source = titleCaseAgency(holder);
  }
  return article;
}

function takeDateline(article: IngestedArticle, line: string): void {
  article.published ??= parseDate(line);
  const agency = agencyInDateline(line);
  if (agency && !article.source) article.source = titleCaseAgency(agency);
  const byline = /^(?:by|written by|reporting by|story by)\s+(.+)$/i.exec(line);
  if (byline && !article.author) article.author = byline[1].replace(/[,|].*$/, "").trim();
}

function stripInlineDateline(article: IngestedArticle, paragraph: string): string {
  const match = INLINE_DATELINE.exec(paragraph);
  if (!match) return paragraph;
  const rest = paragraph.slice(match[0].length);
  if (wordCountUpTo(rest, 4) < 4) return paragraph;
  article.published ??= parseDate(match[0]);
  const agency = match[1] ?? match[2];
  if (agency && !article.source && /^[A-Z][A-Za-z.&-]{1,12}$/.test(agency)) article.source = agency;
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/**
 * The outlet a URL names: its registered domain, without the subdomains a site serves its
 * pages from ("articles.latimes.com" → "latimes.com", "news.bbc.co.uk" → "bbc.co.uk"), except
 * on hosts that give each publisher a subdomain ("example.substack.com").
 */
export function outletFromUrl(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  const labels = host.split(".").filter(Boolean);
  if (labels.length <= 2 || /^\d+$/.test(labels[labels.length - 1]) || host.startsWith("[")) return host || null;
  // A country's registry sells names under a second level ("bbc.co.uk", "abc.net.au").
  const keep = labels[labels.length - 1].length === 2 && COUNTRY_SECOND_LEVEL.has(labels[labels.length - 2]) ? 3 : 2;
  const domain = labels.slice(-keep).join(".");
  return PUBLISHER_SUBDOMAIN_HOSTS.has(domain) && labels.length > keep ? labels.slice(-keep - 1).join(".") : domain;
}

const COUNTRY_SECOND_LEVEL = new Set("co com net org gov ac edu ne or go gob nic mil".split(" "));
const PUBLISHER_SUBDOMAIN_HOSTS = new Set("blogspot.com wordpress.com substack.com medium.com tumblr.com github.io typepad.com livejournal.com".split(" "));

function titleCaseAgency(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length <= 8) return trimmed; // AP, KYODO, AJMEDIA: short names stay as printed
  return trimmed === trimmed.toUpperCase()
    ? trimmed.toLowerCase().replace(/\b\p{L}/gu, (c) => c.toUpperCase())
    : trimmed;
}


/** The first header line that is text, not a URL or a dateline. */
function firstText(lines: { text: string }[]): number {
  return lines.findIndex(({ text }) => !/^https?:\/\/\S+$/i.test(text) && !isDateline(text));
}

/** A date glued in front of a headline by a dash or bar: "27/09/2013-Turkmenistan to hold …", "May 2, 2013 | Lohan checks in …". */
function datedHeadline(line: string): { date: string; headline: string } | null {
  const date = DATED_HEADLINE.exec(line)?.[0];
  if (date === undefined) return null;
  const headline = line.slice(date.length);
  return looksLikeHeadline(headline) ? { date, headline } : null;
}
const DATED_HEADLINE = /^(?:\d{1,2}\/\d{1,2}\/(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\p{Lu}\p{Ll}{2,8}\.? \d{1,2}, \d{4})\s*[-–—|]\s*(?=\p{Lu}(?:\S*\s+){3})/u;

/**
 * A headline broken over two lines ("Hawaiian Gardens Gang Member" / "Charged with Murdering
 * Sheriff's Deputy"): the first a few words with no verb and nothing to end them, the second
 * opening with a capitalized past form and no full stop. A deck under a whole headline reads
 * on its own: it opens with its own subject ("Boston reportedly looks to …"), or the headline
 * above it already states.
 */
function continuesHeadline(headline: string, line: string): boolean {
  const words = headline.split(/\s+/).map(bareWord);
  if (words.length > 8 || /[.!?:;,]$/.test(headline) || words.some((word) => AUXILIARIES.has(word) || isLongPastForm(word))) return false;
  const next = line.split(/\s+/);
  return next.length <= 12 && !/[.!?]["']?$/.test(line) && /^\p{Lu}\p{Ll}/u.test(next[0]) && isLongPastForm(bareWord(next[0]));
}

/** A one-sentence headline printed with a full stop reads as a title without it ("U.S." keeps its own). */
function withoutFinalStop(headline: string): string {
  return /[^.]\.$/.test(headline) && !endsWithAbbreviation(headline) && splitSentences(headline).length === 1 ? headline.slice(0, -1) : headline;
}

/**
 * A line over a dateline in the page's header block ("… Dies Aged 91." / "07 June 2013"): the
 * page's title and date, even when the title ends with a full stop. A lead is not followed by
 * a date line, and a header block is short lines with the body after it.
 */
function datedInHeader(lines: { text: string; block: number }[], index: number, firstBlockIsHeader: boolean): boolean {
  const next = lines[index + 1];
  return firstBlockIsHeader && lines[index].block === 0 && next !== undefined && next.block === 0 && isDateline(next.text) && wordCountUpTo(lines[index].text, 31) <= 30;
}

/** A line that is its own block, with more text after it: a headline's place, not a lead's. */
function standsAlone(blocks: Block[], lines: { block: number }[], index: number): boolean {
  return blocks[lines[index].block].lines.length === 1 && index + 1 < lines.length;
}
