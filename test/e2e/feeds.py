#!/usr/bin/python3
"""Read the digest's RSS and Atom feeds with feedparser (an independent reader) and compare
them with /digest.json.

    /usr/bin/python3 test/e2e/feeds.py <base-url>

Fetches <base>/digest.json with urllib, lets feedparser fetch <base>/rss.xml and <base>/atom.xml
itself, and prints one line per feed:

    VERDICT rss PASS <details>
    VERDICT atom FAIL <problem>; <problem>; ...

Exit status 0 when every feed passes, 1 otherwise, 2 on a usage or network error.
"""
import calendar
import json
import re
import sys
import urllib.request
from datetime import datetime

import feedparser

TIMEOUT = 15


def norm(text):
    return re.sub(r"\s+", " ", text or "").strip()


def rfc3339_epoch(value):
    if not value:
        return None
    return int(datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00")).timestamp())


def parsed_epoch(struct):
    return calendar.timegm(struct) if struct else None


def fetch_json(url):
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        return json.load(response)


def check_feed(kind, url, digest):
    expected_version = {"rss": "rss20", "atom": "atom10"}[kind]
    # Feeds carry the newest FEED_ITEMS (50, src/render/feeds.ts) stories, in digest order.
    stories = digest["stories"][:50]
    by_url = {s["url"]: s for s in stories}
    problems = []

    parsed = feedparser.parse(url, request_headers={"Accept": "application/rss+xml, application/atom+xml"})
    status = getattr(parsed, "status", None)
    if status != 200:
        problems.append(f"HTTP status {status}")
    if parsed.bozo:
        problems.append(f"bozo={parsed.bozo} ({type(parsed.get('bozo_exception')).__name__}: {parsed.get('bozo_exception')})")
    if parsed.version != expected_version:
        problems.append(f"version {parsed.version!r}, expected {expected_version!r}")

    meta = digest["meta"]
    if norm(parsed.feed.get("title")) != norm(meta["title"]):
        problems.append(f"feed title {parsed.feed.get('title')!r} != digest title {meta['title']!r}")
    site = meta["siteUrl"].rstrip("/")
    if parsed.feed.get("link", "").rstrip("/") != site:
        problems.append(f"feed link {parsed.feed.get('link')!r} != SITE_URL {site!r}")

    entries = parsed.entries
    if len(entries) != len(stories):
        problems.append(f"{len(entries)} entries, digest.json has {len(stories)} stories")

    ids = [e.get("id") for e in entries]
    dup_ids = sorted({i for i in ids if ids.count(i) > 1})
    if dup_ids:
        problems.append(f"duplicate ids {dup_ids}")
    links = [e.get("link") for e in entries]
    missing = [s["url"] for s in stories if s["url"] not in links]
    extra = [link for link in links if link not in by_url]
    if missing:
        problems.append(f"stories missing from the feed: {missing}")
    if extra:
        problems.append(f"entries not in digest.json: {extra}")

    for entry in entries:
        story = by_url.get(entry.get("link"))
        if story is None:
            continue
        label = story["id"]
        if entry.get("id") != story["url"]:
            problems.append(f"{label}: id {entry.get('id')!r} != story url")
        if norm(entry.get("title")) != norm(story["title"]):
            problems.append(f"{label}: title {entry.get('title')!r} != {story['title']!r}")
        content = " ".join(c.get("value", "") for c in entry.get("content", [])) or entry.get("summary", "")
        if story["url"] not in content:
            problems.append(f"{label}: item content does not link to the story page")
        published, updated = rfc3339_epoch(story.get("published")), rfc3339_epoch(story.get("updated"))
        if kind == "atom":
            if parsed_epoch(entry.get("updated_parsed")) != updated:
                problems.append(f"{label}: <updated> {entry.get('updated')!r} != story updated {story.get('updated')!r}")
            if published is not None and parsed_epoch(entry.get("published_parsed")) != published:
                problems.append(f"{label}: <published> {entry.get('published')!r} != story published {story.get('published')!r}")
        else:
            # README: RSS pubDate is when the story was first reported.
            stamp = parsed_epoch(entry.get("published_parsed"))
            if stamp is None or stamp != (published if published is not None else updated):
                problems.append(f"{label}: <pubDate> {entry.get('published')!r} != story published {story.get('published')!r}")

    # README: one item per story, newest-updated first.
    stamps = [parsed_epoch(e.get("updated_parsed") or e.get("published_parsed")) or 0 for e in entries]
    if kind == "atom" and stamps != sorted(stamps, reverse=True):
        problems.append("entries are not newest-updated first")

    if problems:
        return False, "; ".join(problems)
    return True, (
        f"feedparser {feedparser.__version__}: {parsed.version}, bozo=0, {len(entries)} entries = "
        f"{len(stories)} stories; ids, titles, links and dates match digest.json"
    )


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    base = sys.argv[1].rstrip("/")
    try:
        digest = fetch_json(f"{base}/digest.json")
    except Exception as error:  # noqa: BLE001 - report any fetch problem
        print(f"VERDICT rss FAIL could not read digest.json: {error}")
        print(f"VERDICT atom FAIL could not read digest.json: {error}")
        return 2
    ok_all = True
    for kind in ("rss", "atom"):
        try:
            ok, detail = check_feed(kind, f"{base}/{kind}.xml", digest)
        except Exception as error:  # noqa: BLE001 - a crash is a failed verdict
            ok, detail = False, f"{type(error).__name__}: {error}"
        ok_all = ok_all and ok
        print(f"VERDICT {kind} {'PASS' if ok else 'FAIL'} {detail}", flush=True)
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
