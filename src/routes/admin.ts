// Admin API for publishers and scripts, mounted at /admin: upload, delete and list corpus
// articles, and run the rebuild the cron runs. Every route needs `Authorization: Bearer
// <ADMIN_TOKEN>`; without the secret configured the whole API answers 404. Errors are thrown
// as HTTPException and rendered as JSON by the one app.onError (src/app.ts).
import { Hono, type Context } from "hono";
import { rebuild } from "../rebuild";
import {
  checkArticleContentType,
  checkArticleKey,
  configuredToken,
  checkArticleBody,
  httpError,
  readBodyCapped,
  requireBearer,
} from "../security";
import { deleteArticle, listCorpusPage, putArticle } from "../storage/corpus";

type AdminEnv = { Bindings: Env };

export const admin = new Hono<AdminEnv>();

const ARTICLES_PREFIX = "/admin/articles/";
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

// Nothing here may be cached, successes and errors alike.
admin.use("*", async (c, next) => {
  await next();
  c.res.headers.set("Cache-Control", "no-store");
});

// Auth first, before any other check: unauthenticated clients learn nothing about keys or bodies.
admin.use("*", async (c, next) => {
  const secret = configuredToken(c.env.ADMIN_TOKEN);
  if (secret === null) throw httpError(404, "There is no page at this address.");
  await requireBearer(c.req.header("Authorization"), secret);
  await next();
});

/** The article key from the raw (still percent-encoded) request path, validated. */
function articleKey(c: Context<AdminEnv>): string {
  const path = new URL(c.req.url).pathname;
  const raw = path.startsWith(ARTICLES_PREFIX) ? path.slice(ARTICLES_PREFIX.length) : "";
  const check = checkArticleKey(raw);
  if (!check.ok) throw httpError(400, `Bad article key: ${check.reason}.`);
  return check.key;
}

function flag(c: Context<AdminEnv>, name: string): boolean {
  const value = c.req.query(name);
  if (value === undefined || value === "0" || value === "false") return false;
  if (value === "" || value === "1" || value === "true") return true;
  throw httpError(400, `Query parameter '${name}' must be 1, true, 0 or false.`);
}

admin.get("/articles", async (c) => {
  const limitParam = c.req.query("limit");
  let limit = DEFAULT_PAGE;
  if (limitParam !== undefined) {
    if (!/^\d{1,4}$/.test(limitParam) || Number(limitParam) < 1 || Number(limitParam) > MAX_PAGE) {
      throw httpError(400, `'limit' must be a whole number from 1 to ${MAX_PAGE}.`);
    }
    limit = Number(limitParam);
  }
  const cursor = c.req.query("cursor") || undefined;
  if (cursor !== undefined && (cursor.length > 1024 || !/^[\x21-\x7e]+$/.test(cursor))) throw httpError(400, "'cursor' is not a cursor this API returned.");
  let page;
  try {
    page = await listCorpusPage(c.env.CORPUS, { cursor, limit });
  } catch (error) {
    if (cursor !== undefined) throw httpError(400, "'cursor' is not a cursor this API returned.");
    throw error;
  }
  return c.json(page);
});

// Other methods on admin paths: 405 with the methods they take (after auth, like everything
// here). Registered right after each path's own handlers: `/articles/*` also matches
// `/articles`, so the list's 405 must come before the article routes.
function methodNotAllowed(allow: string) {
  return () => {
    throw httpError(405, "Method not allowed.", { Allow: allow });
  };
}

admin.all("/articles", methodNotAllowed("GET, HEAD"));

admin.put("/articles/*", async (c) => {
  const key = articleKey(c);
  const contentType = checkArticleContentType(c.req.header("Content-Type"));
  const body = checkArticleBody(await readBodyCapped(c.req.raw));
  const { info, created } = await putArticle(c.env.CORPUS, key, body, contentType);
  return c.json({ ...info, created }, created ? 201 : 200);
});

admin.delete("/articles/*", async (c) => {
  const key = articleKey(c);
  if (!(await deleteArticle(c.env.CORPUS, key))) throw httpError(404, `No article '${key}'.`);
  return c.json({ key, deleted: true });
});

admin.all("/articles/*", methodNotAllowed("PUT, DELETE"));

admin.post("/rebuild", async (c) => {
  const result = await rebuild(c.env, { force: flag(c, "force"), allowShrink: flag(c, "allowShrink") });
  return c.json(result, result.status === "failed" ? 500 : 200);
});

admin.all("/rebuild", methodNotAllowed("POST"));
