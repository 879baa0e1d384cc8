// The Hono application: route groups, one error handler, content-negotiated 404s and 405s.
import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { admin } from "./routes/admin";
import { escapeHtml } from "./render/text";
import { health } from "./routes/health";
import { PUBLIC_ROUTES, site } from "./routes/site";

export const app = new Hono<{ Bindings: Env }>();

app.route("/", health);
app.route("/", site);
// The admin API answers its own 405s (after auth), so the public 405s below never match /admin.
app.route("/admin", admin);

for (const route of [...PUBLIC_ROUTES, "/healthz"]) {
  app.all(route, (c) => errorResponse(c, 405, "Method not allowed.", { Allow: "GET, HEAD" }));
}

function wantsJson(c: Context): boolean {
  const path = new URL(c.req.url).pathname;
  return path.startsWith("/api") || path === "/admin" || path.startsWith("/admin/") || path.endsWith(".json") || (c.req.header("Accept") ?? "").includes("application/json");
}

function errorResponse(c: Context, status: number, message: string, headers: Record<string, string> = {}): Response {
  if (wantsJson(c)) {
    return new Response(JSON.stringify({ error: message, status }), {
      status,
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
    });
  }
  const title = status === 404 ? "Page not found" : `Error ${status}`;
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><link rel="stylesheet" href="/style.css"></head><body><main><h1>${title}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the digest</a></p></main></body></html>`;
  return new Response(c.req.method === "HEAD" ? null : page, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": "default-src 'none'; style-src 'self'; frame-ancestors 'none'",
      "X-Content-Type-Options": "nosniff",
      ...headers,
    },
  });
}

app.notFound((c) => errorResponse(c, 404, "There is no page at this address."));

app.onError((error, c) => {
  if (error instanceof HTTPException) {
    // Extra headers (WWW-Authenticate, Allow) travel in the exception's `res` (see src/security.ts).
    const headers: Record<string, string> = {};
    error.res?.headers.forEach((value, name) => {
      if (name !== "content-type") headers[name] = value;
    });
    return errorResponse(c, error.status, error.message, headers);
  }
  console.error("unhandled error:", error);
  return errorResponse(c, 500, "Something went wrong on our side.");
});
