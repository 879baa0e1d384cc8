// HTTP as feed readers and browsers use it: validators, 304s, HEAD, CORS, errors.
import { beforeAll, describe, expect, it } from "vitest";
import { SEEDS, clearStorage, get, putArticles, runCron } from "./helpers";

describe("HTTP caching and errors", () => {
  beforeAll(async () => {
    await clearStorage();
    await putArticles(SEEDS);
    await runCron();
  });

  it.each(["/", "/rss.xml", "/atom.xml", "/feed.json", "/digest.json"])("%s carries a strong ETag, Last-Modified and cache headers", async (path) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toMatch(/^"[0-9a-f]+"$/);
    // An absent header would parse as 1970 (new Date(null)), so check the IMF-fixdate form itself.
    expect(response.headers.get("last-modified")).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(new Date(response.headers.get("last-modified")!).toString()).not.toBe("Invalid Date");
    expect(response.headers.get("cache-control")).toMatch(/public, max-age=900, stale-while-revalidate=\d+/);
    expect(response.headers.get("vary")).toBe("Accept-Encoding");
  });

  it("answers If-None-Match with 304, no body and the same validators", async () => {
    const first = await get("/rss.xml");
    const etag = first.headers.get("etag")!;
    const second = await get("/rss.xml", { headers: { "If-None-Match": etag } });
    expect(second.status).toBe(304);
    expect(await second.text()).toBe("");
    expect(second.headers.get("etag")).toBe(etag);
    expect(second.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
    expect(second.headers.get("vary")).toBe("Accept-Encoding");
    const listed = await get("/rss.xml", { headers: { "If-None-Match": `"other", W/${etag}` } });
    expect(listed.status).toBe(304);
  });

  it("answers If-Modified-Since with 304, but If-None-Match takes precedence", async () => {
    const first = await get("/atom.xml");
    const lastModified = first.headers.get("last-modified")!;
    expect((await get("/atom.xml", { headers: { "If-Modified-Since": lastModified } })).status).toBe(304);
    const older = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    expect((await get("/atom.xml", { headers: { "If-Modified-Since": older } })).status).toBe(200);
    const mismatch = await get("/atom.xml", { headers: { "If-None-Match": '"stale"', "If-Modified-Since": lastModified } });
    expect(mismatch.status).toBe(200);
  });

  it("lets scripts read feeds cross-origin, and keeps HTML out of frames", async () => {
    for (const path of ["/rss.xml", "/atom.xml", "/feed.json", "/digest.json"]) {
      expect((await get(path)).headers.get("access-control-allow-origin"), path).toBe("*");
    }
    const html = await get("/");
    expect(html.headers.get("access-control-allow-origin")).toBeNull();
    expect(html.headers.get("x-frame-options")).toBe("DENY");
    expect(html.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(html.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("answers wrong methods with 405 and Allow", async () => {
    const response = await get("/rss.xml", { method: "POST", body: "x" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answers unknown paths with an HTML 404 for browsers and a JSON 404 for API clients", async () => {
    const browser = await get("/nothing-here", { headers: { Accept: "text/html" } });
    expect(browser.status).toBe(404);
    expect(browser.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await browser.text()).toContain("Page not found");
    const api = await get("/api/stories", { headers: { Accept: "application/json" } });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: expect.any(String), status: 404 });
  });
});
