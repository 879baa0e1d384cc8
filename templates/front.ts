// Front page: the newest-updated stories, then the archive's months.
import type { ArchiveMonth } from "../src/render/index";
import type { SiteModel, StoryView } from "../src/render/model";
import { archivePath, monthLabel } from "../src/render/text";
import { h, listText, time, type Html } from "./html";
import { layout } from "./layout";

/** Most summary sentences shown per story on the front page. */
export const FRONT_SUMMARY_SENTENCES = 4;

export interface FrontProps {
  site: SiteModel;
  /** Stories on the front page. */
  stories: StoryView[];
  /** Every month with stories, newest first. */
  months: ArchiveMonth[];
}

function sourcesLine(story: StoryView): string {
  const n = story.sources.length;
  const count = `${n} ${n === 1 ? "source" : "sources"}`;
  const names = [...story.outlets];
  if (story.unnamed > 0 && names.length > 0) names.push(`${story.unnamed} unnamed`);
  return names.length ? `${count}: ${listText(names)}` : count;
}

export function storyCard(story: StoryView): Html {
  const sentences = story.story.summary
    .slice(0, FRONT_SUMMARY_SENTENCES)
    .map((s) => s.text.trim())
    .filter(Boolean)
    .join(" ");
  return h`<li><article class="card">
<h2><a href="${story.path}">${story.title}</a></h2>
${sentences ? h`<p>${sentences}</p>` : ""}
<p class="meta">${sourcesLine(story)}${story.duplicates > 0
    ? ` (${story.duplicates} ${story.duplicates === 1 ? "near-duplicate" : "near-duplicates"})`
    : ""}</p>
<p class="meta">${story.dated ? "First reported" : "Added"} ${time(story.published)}${story.updated.ms !== story.published.ms
    ? h` · last updated ${time(story.updated)}`
    : ""}</p>
<p class="more"><a href="${story.path}">Sources and full texts<span class="vh"> for “${story.title}”</span></a></p>
</article></li>`;
}

/** The archive's months, shown once the front page does not hold every story. */
function archiveNav(months: ArchiveMonth[]): Html {
  return h`<nav class="archive" aria-labelledby="archive-heading">
<h2 id="archive-heading">Archive</h2>
<ul>
${months.map(({ month, stories }) => h`<li><a href="${archivePath(month)}">${monthLabel(month)}</a> <span class="meta">(${stories.length} ${stories.length === 1 ? "story" : "stories"})</span></li>`)}
</ul>
</nav>`;
}

export function frontPage(props: FrontProps): Html {
  const { site, stories, months } = props;
  const { meta } = site.digest;
  const body = h`<h1>${meta.title}</h1>
<p class="lede">${meta.description}</p>
<p class="meta">Updated ${time(site.built)}. Times are in UTC.</p>
${stories.length
  ? h`<ol class="stories">
${stories.map(storyCard)}
</ol>`
  : h`<p>No stories yet.</p>`}
${stories.length < site.stories.length ? archiveNav(months) : ""}`;
  return layout({
    site,
    title: meta.title,
    description: meta.description,
    path: "/",
    ogType: "website",
    body,
    buildSummary: true,
  });
}
