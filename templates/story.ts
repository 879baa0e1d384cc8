// Story page: one h1, the summary with numbered source marks, every source with its cleaned text,
// and a timeline of the story's articles.
import type { SiteModel, SourceView, StoryView } from "../src/render/model";
import { clip } from "../src/render/text";
import { h, time, type Html } from "./html";
import { layout } from "./layout";

export interface StoryProps {
  site: SiteModel;
  story: StoryView;
}

/** Superscript links to the sources stating a sentence, numbered by source order. */
function marks(story: StoryView, articleIds: string[]): Html {
  const seen = new Set<number>();
  const sources: SourceView[] = [];
  for (const id of articleIds) {
    const source = story.byId.get(id);
    if (source && !seen.has(source.number)) {
      seen.add(source.number);
      sources.push(source);
    }
  }
  sources.sort((a, b) => a.number - b.number);
  return h`<span class="marks">${sources.map((s) => h`<sup><a href="#${s.id}">${s.number}</a></sup>`)}</span>`;
}

function summary(story: StoryView): Html {
  const sentences = story.story.summary.filter((s) => s.text.trim());
  if (!sentences.length) return h`<p>No summary could be made for this story; see the sources below.</p>`;
  return h`<p class="summary">${sentences.map(
    (s, i) => h`${i > 0 ? " " : ""}${s.text.trim()}${marks(story, s.articles)}`,
  )}</p>`;
}

function sourceDate(s: SourceView): Html | string {
  if (!s.time) return "Date unknown";
  return s.time.entered ? h`Added ${time(s.time)}` : h`Published ${time(s.time)}`;
}

function duplicateNote(s: SourceView): Html | string {
  if (!s.duplicate) return "";
  const { title, href } = s.duplicate;
  if (title && href) return h`<p class="dup">Near-duplicate: same text as <a href="${href}">“${title}”</a>.</p>\n`;
  if (title) return h`<p class="dup">Near-duplicate: same text as “${title}”.</p>\n`;
  return h`<p class="dup">Near-duplicate of another article.</p>\n`;
}

function sourceItem(s: SourceView): Html {
  const paragraphs = s.article.paragraphs.filter((p) => p.trim());
  return h`<li id="${s.id}">
<h3>${s.title}</h3>
<p class="meta"><span class="outlet">${s.label}</span> · ${sourceDate(s)}${s.url
    ? h` · <a href="${s.url}">Read the original at ${s.host}<span class="vh">: “${s.title}”</span></a>`
    : ""}</p>
${duplicateNote(s)}<details>
<summary>Article text<span class="vh">: “${s.title}”</span></summary>
${paragraphs.length ? paragraphs.map((p) => h`<p>${p}</p>\n`) : h`<p>No text was kept after cleaning.</p>\n`}</details>
</li>
`;
}

function timeline(story: StoryView): Html {
  const entries = story.sources
    .map((s, order) => ({ s, order }))
    .sort((a, b) => {
      if (a.s.time && b.s.time) return a.s.time.ms - b.s.time.ms || a.order - b.order;
      if (a.s.time) return -1;
      if (b.s.time) return 1;
      return a.order - b.order;
    });
  return h`<ol class="timeline">
${entries.map(
  ({ s }) => h`<li>${s.time ? time(s.time) : "Date unknown"}${s.time?.entered ? " (added)" : ""}: ${s.label}, <a href="#${s.id}">${s.title}</a></li>
`,
)}</ol>`;
}

export function storyPage(props: StoryProps): Html {
  const { site, story } = props;
  const n = story.sources.length;
  const body = h`<article class="story">
<h1>${story.title}</h1>
<p class="meta">${story.dated ? "First reported" : "Added"} ${time(story.published)} · last updated ${time(story.updated)} · ${n} ${n === 1 ? "source" : "sources"}</p>
<section aria-labelledby="h-summary">
<h2 id="h-summary">Summary</h2>
${summary(story)}
</section>
<section aria-labelledby="h-sources">
<h2 id="h-sources">Sources</h2>
<ol class="sources">
${story.sources.map(sourceItem)}</ol>
</section>
<section aria-labelledby="h-timeline">
<h2 id="h-timeline">Timeline</h2>
${timeline(story)}
</section>
</article>
<nav aria-label="More stories"><p><a href="/">All stories</a></p></nav>`;
  return layout({
    site,
    title: `${story.title} · ${site.digest.meta.title}`,
    description: story.summaryText ? clip(story.summaryText, 300) : site.digest.meta.description,
    path: story.path,
    ogType: "article",
    times: { published: story.published.iso, modified: story.updated.iso },
    body,
    buildSummary: false,
  });
}
