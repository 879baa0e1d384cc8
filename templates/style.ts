// The site's one stylesheet, served as /style.css: readable type, 320px to wide screens,
// dark mode, print, visible focus, AA contrast (body text ≥ 12:1, muted text ≥ 7:1, links ≥ 7:1).
export const STYLE_CSS = `:root {
  color-scheme: light dark;
  --bg: #fdfdfc;
  --fg: #1b1b1b;
  --muted: #4f4f4f;
  --link: #0a4f94;
  --visited: #5b2a86;
  --rule: #d6d6d2;
  --card: #f4f4f1;
  --focus: #b34700;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14161a;
    --fg: #e9e7e3;
    --muted: #b3b9c0;
    --link: #93c5fd;
    --visited: #d8b4fe;
    --rule: #363b42;
    --card: #1c1f24;
    --focus: #fbbf24;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--fg);
  font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  overflow-wrap: break-word;
}
.wrap { max-width: 44rem; margin: 0 auto; padding: 0 1rem; }
a { color: var(--link); text-underline-offset: 0.15em; }
a:visited { color: var(--visited); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
.skip { position: absolute; left: 0.5rem; top: -3rem; padding: 0.5rem 0.75rem; background: var(--bg); z-index: 1; }
.skip:focus { top: 0.5rem; }
.vh {
  position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.site-header { border-bottom: 1px solid var(--rule); }
.site-header .wrap { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 0.25rem 1rem; padding-top: 0.75rem; padding-bottom: 0.75rem; }
.brand { margin: 0; font-weight: 700; font-size: 1.125rem; }
.brand a { color: inherit; text-decoration: none; }
.feeds, .pager ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0; padding: 0; list-style: none; font-size: 0.9375rem; }
main.wrap { padding-top: 1.5rem; padding-bottom: 2rem; }
h1, h2, h3 { line-height: 1.25; margin: 1.5em 0 0.5em; }
h1 { font-size: clamp(1.6rem, 1.2rem + 2vw, 2.2rem); margin-top: 0; }
h2 { font-size: 1.35rem; }
h3 { font-size: 1.1rem; }
p { margin: 0 0 0.9em; }
.lede { font-size: 1.125rem; }
.meta { color: var(--muted); font-size: 0.9375rem; }
.stories, .sources { margin: 0; padding: 0; list-style: none; }
.card { margin: 1.25rem 0; padding: 1rem 1.25rem; background: var(--card); border-radius: 6px; }
.card h2 { margin-top: 0; }
.card .meta, .card .more { margin-bottom: 0.35em; }
.sources > li { padding: 1rem 0; border-top: 1px solid var(--rule); scroll-margin-top: 1rem; }
.sources > li:target { outline: 2px solid var(--focus); outline-offset: 4px; }
.sources h3 { margin-top: 0; }
.dup { font-style: italic; }
details { margin-top: 0.5rem; }
summary { cursor: pointer; color: var(--link); }
details[open] summary { margin-bottom: 0.75rem; }
sup { line-height: 0; font-size: 0.75em; }
sup a { text-decoration: none; padding: 0 0.1em; }
.marks sup + sup::before { content: ","; }
.timeline { padding-left: 1.5rem; }
.timeline li { margin-bottom: 0.4rem; }
.pager { margin-top: 2rem; }
.archive { margin-top: 2.5rem; }
.archive ul { margin: 0; padding-left: 1.25rem; }
.site-footer { border-top: 1px solid var(--rule); color: var(--muted); font-size: 0.9375rem; padding: 1rem 0; }
@media (min-width: 48rem) {
  body { font-size: 1.125rem; }
  .wrap { padding: 0 2rem; }
}
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #333; --link: #000; --visited: #000; --card: #fff; }
  body { font: 11pt/1.45 Georgia, "Times New Roman", serif; }
  .skip, .feeds, .pager, .more, nav { display: none; }
  .card { padding: 0; break-inside: avoid; }
  .sources > li { break-inside: avoid-page; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 0.85em; word-break: break-all; }
  sup a::after, .brand a::after { content: none; }
}
`;
