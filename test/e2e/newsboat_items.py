#!/usr/bin/python3
"""Print the items in a newsboat cache as JSON: what a newsboat user would see.

    /usr/bin/python3 test/e2e/newsboat_items.py <cache.db>

Output: {"feeds": [{"rssurl", "title"}], "items": [{"guid", "title", "url", "feedurl",
"pubDate", "unread", "deleted", "content"}]} (deleted items included, flagged).
"""
import json
import sqlite3
import sys


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    # Read-only: newsboat has exited, but never change its cache.
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
    db.row_factory = sqlite3.Row
    feeds = [dict(row) for row in db.execute("SELECT rssurl, title FROM rss_feed ORDER BY rssurl")]
    items = [
        dict(row)
        for row in db.execute(
            "SELECT guid, title, url, feedurl, pubDate, unread, deleted, content FROM rss_item ORDER BY id"
        )
    ]
    json.dump({"feeds": feeds, "items": items}, sys.stdout, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
