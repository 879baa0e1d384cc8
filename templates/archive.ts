// A month's archive page (/archive/2024-07): the stories first reported that month, newest
// first, with links to the neighbouring months. It names no build time, so a rebuild that
// leaves the month's stories alone leaves the page's bytes (and ETag) alone too.
import type { SiteModel, StoryView } from "../src/render/model";
import { archivePath, monthLabel } from "../src/render/text";
import { storyCard } from "./front";
import { h, type Html } from "./html";
import { layout } from "./layout";

export interface ArchiveProps {
  site: SiteModel;
  /** "2024-07" */
  month: string;
  stories: StoryView[];
  /** The neighbouring months with stories, or null at either end. */
  newer: string | null;
  older: string | null;
}

export function archivePage(props: ArchiveProps): Html {
  const { site, month, stories, newer, older } = props;
  const { meta } = site.digest;
  const label = monthLabel(month);
  const body = h`<h1>Stories first reported in ${label}</h1>
<p class="meta">Newest first. Times are in UTC. <a href="/">Latest stories</a></p>
<ol class="stories">
${stories.map(storyCard)}
</ol>
<nav class="pager" aria-label="Months"><ul>
${newer ? h`<li><a href="${archivePath(newer)}" rel="prev">Newer: ${monthLabel(newer)}</a></li>` : ""}
${older ? h`<li><a href="${archivePath(older)}" rel="next">Older: ${monthLabel(older)}</a></li>` : ""}
</ul></nav>`;
  return layout({
    site,
    title: `${meta.title}: ${label}`,
    description: `${meta.title}: stories first reported in ${label}.`,
    path: archivePath(month),
    ogType: "website",
    body,
    buildSummary: false,
  });
}
