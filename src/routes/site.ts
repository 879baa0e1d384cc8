// Public routes: every page and feed is served from the published build's bytes with the
// headers computed at build time. Nothing is rendered per request. When nothing has been
// published yet (first start), the first request builds and publishes the digest.
import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { rebuild } from "../rebuild";
import { readBlobBytes, readManifest, readPointer, type Manifest } from "../storage/published";

type SiteEnv = { Bindings: Env };

export const site = new Hono<SiteEnv>();

async function liveManifest(c: Context<SiteEnv>): Promise<Manifest> {
  let pointer = await readPointer(c.env.DIGEST);
  if (!pointer) {
    const result = await rebuild(c.env, { force: true });
    if (result.status === "failed") throw new HTTPException(503, { message: `The digest is not built yet: ${result.error}` });
    pointer = await readPointer(c.env.DIGEST);
  }
  const manifest = pointer ? await readManifest(c.env.DIGEST, pointer) : null;
  if (!manifest) throw new HTTPException(503, { message: "The digest is being published; try again in a moment." });
  return manifest;
}

const FEEDS = /\.(xml|json)$/;

function cacheHeaders(c: Context<SiteEnv>, manifest: Manifest, path: string): Record<string, string> {
  const entry = manifest.files[path];
  const period = Number.parseInt(c.env.CRON_PERIOD_MINUTES ?? "15", 10) || 15;
  const headers: Record<string, string> = {
    "Content-Type": entry.contentType,
    ETag: entry.etag,
    "Last-Modified": new Date(manifest.record.generatedAt).toUTCString(),
    "Cache-Control": `public, max-age=${period * 60}, stale-while-revalidate=${period * 60 * 4}`,
    Vary: "Accept-Encoding",
    "X-Content-Type-Options": "nosniff",
  };
  if (FEEDS.test(path)) headers["Access-Control-Allow-Origin"] = "*";
  if (entry.contentType.startsWith("text/html")) {
    headers["Content-Security-Policy"] =
      "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    headers["X-Frame-Options"] = "DENY";
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
  }
  return headers;
}

/** RFC 9110 §13.1: If-None-Match wins; If-Modified-Since only counts without it. */
function notModified(c: Context<SiteEnv>, manifest: Manifest, path: string): boolean {
  const etag = manifest.files[path].etag;
  const ifNoneMatch = c.req.header("If-None-Match");
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch
      .split(",")
      .map((tag) => tag.trim().replace(/^W\//, ""))
      .some((tag) => tag === "*" || tag === etag);
  }
  const ifModifiedSince = c.req.header("If-Modified-Since");
  if (ifModifiedSince) {
    const since = Date.parse(ifModifiedSince);
    const modified = Math.floor(Date.parse(manifest.record.generatedAt) / 1000) * 1000;
    return !Number.isNaN(since) && modified <= since;
  }
  return false;
}

async function serve(c: Context<SiteEnv>, path: string): Promise<Response> {
  const manifest = await liveManifest(c);
  const entry = manifest.files[path];
  if (!entry) throw new HTTPException(404, { message: "No such page in the digest." });
  const headers = cacheHeaders(c, manifest, path);
  if (notModified(c, manifest, path)) {
    const { "Content-Type": _type, ...rest } = headers;
    return new Response(null, { status: 304, headers: rest });
  }
  const body = await readBlobBytes(c.env.DIGEST, entry);
  if (body === null) throw new HTTPException(503, { message: "The digest is being published; try again in a moment." });
  return new Response(c.req.method === "HEAD" ? null : body, { status: 200, headers });
}

const STATIC_PATHS: Record<string, string> = {
  "/": "index.html",
  "/rss.xml": "rss.xml",
  "/atom.xml": "atom.xml",
  "/feed.json": "feed.json",
  "/digest.json": "digest.json",
  "/style.css": "style.css",
  "/favicon.svg": "favicon.svg",
};

for (const [route, path] of Object.entries(STATIC_PATHS)) site.get(route, (c) => serve(c, path));
site.get("/stories/:id{[A-Za-z0-9_-]{1,64}}", (c) => serve(c, `stories/${c.req.param("id")}.html`));
site.get("/archive/:month{[0-9]{4}-[0-9]{2}}", (c) => serve(c, `archive/${c.req.param("month")}.html`));

/** The public paths, for answering 405 with the methods they do take. */
export const PUBLIC_ROUTES = [...Object.keys(STATIC_PATHS), "/stories/:id", "/archive/:month"];
