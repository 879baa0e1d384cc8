// Front page (page 1) and archive pages (/page/2, /page/3, ...): stories newest-updated first.
import type { SiteModel, StoryView } from "../src/render/model";
import { pagePath } from "../src/render/text";
import { h, listText, time, type Html } from "./html";
import { layout } from "./layout";

/** Most summary sentences shown per story on the front page. */
export const FRONT_SUMMARY_SENTENCES = 4;

export interface FrontProps {
  site: SiteModel;
  /** Stories on this page. */
  stories: StoryView[];
  /** 1-based page number and the number of pages. */
  page: number;
  pages: number;
}

function sourcesLine(story: StoryView): string {
  const n = story.sources.length;
  const count = `${n} ${n === 1 ? "source" : "sources"}`;
  const names = [...story.outlets];
  if (story.unnamed > 0 && names.length > 0) names.push(`${story.unnamed} unnamed`);
  return names.length ? `${count}: ${listText(names)}` : count;
}

function storyCard(story: StoryView): Html {
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
<p class="meta">First reported ${time(story.published)}${story.updated.ms !== story.published.ms
    ? h` · last updated ${time(story.updated)}`
    : ""}</p>
<p class="more"><a href="${story.path}">Sources and full texts<span class="vh"> for “${story.title}”</span></a></p>
</article></li>`;
}

function pager(page: number, pages: number): Html | string {
  if (pages <= 1) return "";
  const numbers = Array.from({ length: pages }, (_, i) => i + 1);
  return h`<nav class="pager" aria-label="Pages"><ul>
${page > 1 ? h`<li><a href="${pagePath(page - 1)}" rel="prev">Newer stories</a></li>` : ""}
${numbers.map((n) =>
  n === page
    ? h`<li><a href="${pagePath(n)}" aria-current="page"><span class="vh">Page </span>${n}</a></li>`
    : h`<li><a href="${pagePath(n)}"><span class="vh">Page </span>${n}</a></li>`,
)}
${page < pages ? h`<li><a href="${pagePath(page + 1)}" rel="next">Older stories</a></li>` : ""}
</ul></nav>`;
}

export function frontPage(props: FrontProps): Html {
  const { site, stories, page, pages } = props;
  const { meta } = site.digest;
  const title = page === 1 ? meta.title : `${meta.title}, page ${page} of ${pages}`;
  const body = h`<h1>${title}</h1>
<p class="lede">${meta.description}</p>
<p class="meta">Updated ${time(site.built)}. Times are in UTC.</p>
${stories.length
  ? h`<ol class="stories">
${stories.map(storyCard)}
</ol>`
  : h`<p>No stories yet.</p>`}
${pager(page, pages)}`;
  return layout({
    site,
    title,
    description: meta.description,
    path: pagePath(page),
    ogType: "website",
    body,
    buildSummary: true,
  });
}
