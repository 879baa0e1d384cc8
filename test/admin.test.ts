// The admin API under bad input: every table row is a request the API must refuse, with the
// status and reason it must give, and proof that the corpus did not change. Then the good
// paths: upload, list (paged), rebuild, delete. The token is the test-only ADMIN_TOKEN set in
// vitest.config.ts; "no token configured" runs the same app with a copy of env without it.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../src/app";
import { MAX_UPLOAD_BYTES, checkArticleKey, parseAuthorization, tokensMatch } from "../src/security";
// `call` goes through the deployed entry point (the Worker's own fetch, with the configured secret).
import { BASE, clearStorage, get as call, putArticles, r2Keys } from "./helpers";

const TOKEN = env.ADMIN_TOKEN ?? "";
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const TEXT = { "Content-Type": "text/plain; charset=utf-8" };
const MARKDOWN = { "Content-Type": "text/markdown" };

const ARTICLE = [
  "Harbour bridge reopens after repairs",
  "",
  "The harbour bridge reopened to traffic on Monday after six weeks of repairs to its deck, city officials said.",
  "",
  "Engineers replaced corroded steel plates and resurfaced both lanes, and the council said the work finished on budget.",
  "",
].join("\n");

const QUAKE = [
  "---",
  "title: Strong earthquake shakes Chilean coast",
  "date: 2024-08-02",
  "source: Example Wire",
  "---",
  "",
  "A magnitude 6.8 earthquake struck off the coast of northern Chile on Friday, officials said, damaging roads in Antofagasta.",
  "",
  "No deaths were reported, and a tsunami warning was lifted after an hour.",
  "",
].join("\n");

/** Through the Hono app in this isolate, with any env: for the "no secret configured" cases. */
const callWith = (bindings: Partial<Env>, path: string, init?: RequestInit) => app.request(path, init, bindings);

const { ADMIN_TOKEN: _omit, ...envWithoutToken } = env;

interface ErrorBody {
  error: string;
  status: number;
}

async function expectJsonError(response: Response, status: number, reason?: RegExp, context = ""): Promise<ErrorBody> {
  const text = await response.text();
  expect(response.status, `${context} ${text}`).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = JSON.parse(text) as ErrorBody;
  expect(body.status).toBe(status);
  expect(typeof body.error).toBe("string");
  if (reason) expect(body.error).toMatch(reason);
  return body;
}

/** A chunked body: `total` bytes of "a" in `chunk`-byte pieces, with no Content-Length. Counts what was pulled. */
function streamOf(total: number, chunk = 64 * 1024) {
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= total) return controller.close();
      const size = Math.min(chunk, total - state.pulled);
      state.pulled += size;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
  return { stream, state };
}

beforeEach(async () => {
  await clearStorage();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("admin test set-up", () => {
  it("runs with a configured ADMIN_TOKEN (so the 'no token' cases below are the only unconfigured ones)", () => {
    expect(TOKEN.length).toBeGreaterThanOrEqual(16);
  });
});

describe("authentication", () => {
  // Every admin route, each with a request that would succeed (or change the corpus) if authorized.
  const routes: { name: string; path: string; init: () => RequestInit }[] = [
    { name: "GET list", path: "/admin/articles", init: () => ({ method: "GET" }) },
    { name: "PUT article", path: "/admin/articles/intruder.txt", init: () => ({ method: "PUT", headers: TEXT, body: ARTICLE }) },
    { name: "DELETE article", path: "/admin/articles/keep.txt", init: () => ({ method: "DELETE" }) },
    { name: "POST rebuild", path: "/admin/rebuild?force=1", init: () => ({ method: "POST" }) },
  ];

  const unauthorized: { name: string; header: string | null; status: 400 | 401; reason: RegExp }[] = [
    { name: "missing header", header: null, status: 401, reason: /Authentication required/ },
    { name: "wrong token", header: "Bearer wrong-token", status: 401, reason: /Invalid token/ },
    { name: "token plus one character", header: `Bearer ${TOKEN}x`, status: 401, reason: /Invalid token/ },
    { name: "token minus its last character", header: `Bearer ${TOKEN.slice(0, -1)}`, status: 401, reason: /Invalid token/ },
    { name: "token in the wrong case", header: `Bearer ${TOKEN.toUpperCase()}`, status: 401, reason: /Invalid token/ },
    { name: "another scheme (Basic)", header: `Basic ${btoa(`admin:${TOKEN}`)}`, status: 401, reason: /Only Bearer/ },
    { name: "scheme without a token", header: "Bearer", status: 400, reason: /Malformed Authorization header: Bearer token is missing/ },
    { name: "bare token without a scheme", header: TOKEN, status: 400, reason: /Malformed Authorization header/ },
    { name: "two tokens", header: `Bearer ${TOKEN} ${TOKEN}`, status: 400, reason: /Malformed Authorization header/ },
    { name: "token with characters RFC 6750 forbids", header: `Bearer ${TOKEN},admin`, status: 400, reason: /Malformed Authorization header/ },
    { name: "oversized token", header: `Bearer ${"a".repeat(5000)}`, status: 400, reason: /longer than/ },
    { name: "garbage", header: ": nonsense", status: 400, reason: /Malformed Authorization header/ },
  ];

  for (const route of routes) {
    for (const row of unauthorized) {
      it(`${route.name}: ${row.name} → ${row.status}, corpus untouched`, async () => {
        await env.CORPUS.put("keep.txt", ARTICLE);
        const init = route.init();
        const headers = new Headers(init.headers);
        if (row.header !== null) headers.set("Authorization", row.header);
        const response = await call(route.path, { ...init, headers });
        await expectJsonError(response, row.status, row.reason);
        expect(response.headers.get("www-authenticate") ?? "").toMatch(/^Bearer realm=/);
        expect(await r2Keys()).toEqual(["keep.txt"]);
        // Nothing was built or published either.
        expect(await env.DIGEST.get("pointer")).toBeNull();
      });
    }
  }

  it("accepts the scheme name in any case (RFC 9110: auth schemes are case-insensitive)", async () => {
    const response = await call("/admin/articles", { headers: { Authorization: `bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
  });

  it("answers unknown /admin paths only after auth, and then with a JSON 404", async () => {
    for (const path of ["/admin", "/admin/", "/admin/nothing-here", "/admin/articles/x.md/more"]) {
      await expectJsonError(await call(path), 401, undefined, path);
    }
    await expectJsonError(await call("/admin/nothing-here", { headers: AUTH }), 404);
    await expectJsonError(await call("/admin", { headers: AUTH }), 404);
  });

  describe("no ADMIN_TOKEN configured: the admin API is off, never open", () => {
    const variants: { name: string; bindings: () => Partial<Env> }[] = [
      { name: "secret absent", bindings: () => envWithoutToken },
      { name: "secret empty", bindings: () => ({ ...envWithoutToken, ADMIN_TOKEN: "" }) },
      { name: "secret only whitespace", bindings: () => ({ ...envWithoutToken, ADMIN_TOKEN: "   " }) },
    ];
    const attempts: { name: string; header: string | null }[] = [
      { name: "no header", header: null },
      { name: "the test token", header: `Bearer ${TOKEN}` },
      { name: "an empty-looking token", header: "Bearer =" },
    ];
    for (const variant of variants) {
      for (const route of routes) {
        for (const attempt of attempts) {
          it(`${variant.name}: ${route.name} with ${attempt.name} → 404`, async () => {
            await env.CORPUS.put("keep.txt", ARTICLE);
            const init = route.init();
            const headers = new Headers(init.headers);
            if (attempt.header !== null) headers.set("Authorization", attempt.header);
            const response = await callWith(variant.bindings(), route.path, { ...init, headers });
            await expectJsonError(response, 404);
            expect(await r2Keys()).toEqual(["keep.txt"]);
            expect(await env.DIGEST.get("pointer")).toBeNull();
          });
        }
      }
    }

    it("the same app with the secret does answer (the 404s above come from the missing secret)", async () => {
      const response = await callWith({ ...envWithoutToken, ADMIN_TOKEN: TOKEN }, "/admin/articles", { headers: AUTH });
      expect(response.status).toBe(200);
    });
  });

  it("compares tokens through SHA-256 digests with crypto.subtle.timingSafeEqual", async () => {
    const spy = vi.spyOn(crypto.subtle, "timingSafeEqual");
    expect(await tokensMatch("secret-token", "secret-token")).toBe(true);
    expect(await tokensMatch("secret-token", "secret-tokem")).toBe(false);
    expect(await tokensMatch("secret", "secret-token")).toBe(false);
    expect(await tokensMatch("", "secret-token")).toBe(false);
    expect(spy).toHaveBeenCalledTimes(4);
    for (const [a, b] of spy.mock.calls) {
      expect((a as ArrayBufferView).byteLength).toBe(32);
      expect((b as ArrayBufferView).byteLength).toBe(32);
    }
  });

  it("parses Authorization headers strictly", () => {
    expect(parseAuthorization(undefined)).toEqual({ kind: "missing" });
    expect(parseAuthorization("Bearer abc.DEF-123_~+/==")).toEqual({ kind: "token", token: "abc.DEF-123_~+/==" });
    expect(parseAuthorization("Basic Zm9vOmJhcg==")).toEqual({ kind: "other-scheme" });
    for (const bad of ["", "Bearer", "Bearer a=b", "Bearer a b", "Bearer\ttoken", "Bearer tök", "=Bearer x"]) {
      expect(parseAuthorization(bad).kind, JSON.stringify(bad)).toBe("malformed");
    }
  });
});

describe("article keys", () => {
  // Paths as a client sends them. The URL parser already resolves literal `..`, `%2e%2e` segments
  // and backslashes (as `/`), so those arrive as other paths: the API must still never write them.
  const badPaths: { name: string; path: string; status: number; reason: RegExp }[] = [
    { name: "empty key", path: "/admin/articles/", status: 400, reason: /missing article key/ },
    { name: "encoded ../ in one segment", path: "/admin/articles/..%2fsecret.md", status: 400, reason: /path traversal/ },
    { name: "fully encoded ../", path: "/admin/articles/%2e%2e%2fsecret.md", status: 400, reason: /path traversal/ },
    { name: "encoded ../ after a folder", path: "/admin/articles/news%2f..%2f..%2fsecret.md", status: 400, reason: /path traversal/ },
    { name: "upper-case encoded ../", path: "/admin/articles/%2E%2E%2Fsecret.md", status: 400, reason: /path traversal/ },
    { name: "'..' inside a name", path: "/admin/articles/a..b.md", status: 400, reason: /contains '\.\.'/ },
    { name: "double-encoded ../", path: "/admin/articles/%252e%252e%252fsecret.md", status: 400, reason: /percent-encoded more than once/ },
    { name: "encoded absolute path", path: "/admin/articles/%2fetc%2fpasswd.md", status: 400, reason: /absolute path/ },
    { name: "absolute path (double slash)", path: "/admin/articles//etc/passwd.md", status: 400, reason: /absolute path/ },
    { name: "encoded backslash", path: "/admin/articles/news%5cevil.md", status: 400, reason: /backslash/ },
    { name: "encoded backslash traversal", path: "/admin/articles/..%5csecret.md", status: 400, reason: /backslash|traversal/ },
    { name: "encoded NUL", path: "/admin/articles/a%00.md", status: 400, reason: /NUL/ },
    { name: "NUL before the extension", path: "/admin/articles/evil.exe%00.md", status: 400, reason: /NUL/ },
    { name: "malformed percent-encoding", path: "/admin/articles/%zz.md", status: 400, reason: /malformed percent-encoding/ },
    { name: "truncated percent-encoding", path: "/admin/articles/a%2.md", status: 400, reason: /malformed percent-encoding/ },
    { name: "two folder levels", path: "/admin/articles/a/b/c.md", status: 400, reason: /one folder level/ },
    { name: "two folder levels, encoded", path: "/admin/articles/a%2fb%2fc.md", status: 400, reason: /one folder level/ },
    { name: "wrong extension", path: "/admin/articles/page.html", status: 400, reason: /\.txt or \.md/ },
    { name: "no extension", path: "/admin/articles/readme", status: 400, reason: /\.txt or \.md/ },
    { name: ".markdown (not on the allowlist)", path: "/admin/articles/a.markdown", status: 400, reason: /\.txt or \.md/ },
    { name: "upper-case letters", path: "/admin/articles/News.md", status: 400, reason: /lowercase/ },
    { name: "upper-case extension", path: "/admin/articles/news.MD", status: 400, reason: /\.txt or \.md/ },
    { name: "space", path: "/admin/articles/a%20b.md", status: 400, reason: /lowercase/ },
    { name: "non-ASCII", path: "/admin/articles/caf%C3%A9.md", status: 400, reason: /lowercase/ },
    { name: "hidden file", path: "/admin/articles/.env.md", status: 400, reason: /lowercase|starting/ },
    { name: "trailing slash", path: "/admin/articles/news/", status: 400, reason: /\.txt or \.md/ },
    { name: "empty folder segment", path: "/admin/articles/news//a.md", status: 400, reason: /one folder level|lowercase/ },
    { name: "key over 200 bytes", path: `/admin/articles/${"a".repeat(198)}.md`, status: 400, reason: /200 bytes/ },
    { name: "Windows drive path", path: "/admin/articles/c:%5cwindows.md", status: 400, reason: /absolute|backslash/ },
    // Resolved by the URL parser before routing: they reach no admin article route at all.
    { name: "literal ../ (resolved to /admin/secret.md)", path: "/admin/articles/../secret.md", status: 404, reason: /no page/ },
    { name: "%2e%2e segment (resolved like ..)", path: "/admin/articles/%2e%2e/secret.md", status: 404, reason: /no page/ },
  ];
  // `\` is `/` in http URLs: this one resolves to /secret.md, outside the admin API (an HTML 404).
  it("PUT literal backslash traversal → 404 outside /admin", async () => {
    const response = await call("/admin/articles/..\\..\\secret.md", { method: "PUT", headers: { ...AUTH, ...TEXT }, body: ARTICLE });
    expect(response.status).toBe(404);
    expect(response.url).toBe(`${BASE}/secret.md`);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await r2Keys()).toEqual([]);
  });

  for (const row of badPaths) {
    it(`PUT ${row.name} → ${row.status}`, async () => {
      const response = await call(row.path, { method: "PUT", headers: { ...AUTH, ...TEXT }, body: ARTICLE });
      await expectJsonError(response, row.status, row.reason);
      expect(await r2Keys()).toEqual([]);
    });
  }

  it("refuses bad keys on DELETE too, without deleting anything", async () => {
    await env.CORPUS.put("secret.md", QUAKE);
    for (const path of ["/admin/articles/..%2fsecret.md", "/admin/articles/%2fsecret.md", "/admin/articles/secret.md%00", "/admin/articles/SECRET.md"]) {
      await expectJsonError(await call(path, { method: "DELETE", headers: AUTH }), 400, /Bad article key/);
    }
    expect(await r2Keys()).toEqual(["secret.md"]);
  });

  it("the key checker refuses raw forms the URL parser would have rewritten", () => {
    const raw: [string, RegExp][] = [
      ["../secret.md", /traversal/],
      ["news/../../secret.md", /traversal/],
      ["./a.md", /traversal/],
      ["a\\b.md", /backslash/],
      ["..\\secret.md", /backslash/],
      ["a\u0000.md", /NUL/],
      ["/etc/passwd.md", /absolute/],
      ["C:/x.md", /absolute/],
      ["%2e%2e/secret.md", /traversal/],
      ["%2E%2e%2Fsecret.md", /traversal/],
      ["%5c%5cserver%5cshare.md", /backslash/],
      ["%00.md", /NUL/],
      ["%25252e.md", /more than once/],
      ["a".repeat(198) + ".md", /200 bytes/],
      ["é".repeat(99) + ".md", /200 bytes/],
    ];
    for (const [key, reason] of raw) {
      const check = checkArticleKey(key);
      expect(check.ok, key).toBe(false);
      if (!check.ok) expect(check.reason, key).toMatch(reason);
    }
    for (const good of ["a.md", "a.txt", "news/a.md", "2024-08-02_quake.v2.txt", "a".repeat(197) + ".md", "news%2fquake.md", "%61.md"]) {
      expect(checkArticleKey(good).ok, good).toBe(true);
    }
    expect(checkArticleKey("news%2fquake.md")).toEqual({ ok: true, key: "news/quake.md" });
  });
});

describe("article keys (property)", () => {
  it("every key the checker accepts is a safe, allowlisted corpus path", () => {
    const piece = fc.oneof(
      fc.constantFrom("a", "b1", "news", "-", "_", ".", "..", "/", "\\", "%", "%2e", "%2E", "%2f", "%2F", "%5c", "%00", "%25", "%zz", "\u0000", ":", "C:", ".md", ".txt", "é", " ", "A"),
      fc.string({ unit: "grapheme-ascii", maxLength: 4 }),
    );
    // Random pieces alone are almost never accepted, which would leave the property unchecked;
    // so half the keys are valid ones with hostile pieces spliced in, and acceptances are counted.
    const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/);
    const valid = fc
      .tuple(fc.option(segment, { nil: undefined }), segment, fc.constantFrom(".md", ".txt"))
      .map(([folder, name, ext]) => (folder ? `${folder}/` : "") + name + ext);
    const spliced = fc.tuple(valid, fc.nat(), fc.array(piece, { minLength: 1, maxLength: 2 })).map(([key, at, inserted]) => {
      const i = at % (key.length + 1);
      return key.slice(0, i) + inserted.join("") + key.slice(i);
    });
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(fc.array(piece, { maxLength: 12 }).map((parts) => parts.join("")), valid, spliced), (raw) => {
        const check = checkArticleKey(raw);
        if (!check.ok) return;
        accepted++;
        expect(check.key).toMatch(/^(?:[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*\.(?:txt|md)$/);
        expect(check.key).not.toContain("..");
        expect(new TextEncoder().encode(check.key).byteLength).toBeLessThanOrEqual(200);
      }),
      { numRuns: 2000 },
    );
    expect(accepted, "keys the property was checked on").toBeGreaterThan(300);
  });
});

describe("upload bodies", () => {
  const put = (key: string, init: RequestInit) => call(`/admin/articles/${key}`, { method: "PUT", ...init, headers: { ...AUTH, ...(init.headers as Record<string, string>) } });

  // Streamed rows go to the app in this isolate: through the Worker's loopback the 413 arrives
  // just the same, but workerd then logs the aborted upload pipe as an uncaught error.
  const putInIsolate = (key: string, init: RequestInit) =>
    app.request(new Request(`${BASE}/admin/articles/${key}`, { method: "PUT", ...init, headers: { ...AUTH, ...(init.headers as Record<string, string>) } }), undefined, env);

  const badBodies: { name: string; headers: Record<string, string>; body: () => BodyInit; status: number; reason: RegExp }[] = [
    { name: "1 MiB + 1 byte with Content-Length", headers: TEXT, body: () => "a".repeat(MAX_UPLOAD_BYTES + 1), status: 413, reason: /larger than 1048576 bytes/ },
    { name: "5 MiB with Content-Length", headers: TEXT, body: () => new Uint8Array(5 * MAX_UPLOAD_BYTES).fill(0x61), status: 413, reason: /larger than/ },
    { name: "2 MiB streamed without Content-Length", headers: TEXT, body: () => streamOf(2 * MAX_UPLOAD_BYTES).stream, status: 413, reason: /larger than/ },
    { name: "1 MiB + 1 byte streamed without Content-Length", headers: TEXT, body: () => streamOf(MAX_UPLOAD_BYTES + 1, 1000).stream, status: 413, reason: /larger than/ },
    { name: "invalid UTF-8 (stray 0xFF)", headers: TEXT, body: () => new Uint8Array([0x48, 0x69, 0x20, 0xff, 0xfe, 0x20, 0x74, 0x68, 0x65, 0x72, 0x65]), status: 422, reason: /not valid UTF-8/ },
    { name: "invalid UTF-8 (overlong '/')", headers: TEXT, body: () => new Uint8Array([0x61, 0xc0, 0xaf, 0x62]), status: 422, reason: /not valid UTF-8/ },
    { name: "invalid UTF-8 (encoded surrogate)", headers: TEXT, body: () => new Uint8Array([0x61, 0xed, 0xa0, 0x80, 0x62]), status: 422, reason: /not valid UTF-8/ },
    { name: "invalid UTF-8 (truncated sequence)", headers: TEXT, body: () => new Uint8Array([0x61, 0x62, 0xe2, 0x82]), status: 422, reason: /not valid UTF-8/ },
    { name: "Latin-1 text", headers: TEXT, body: () => new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6c, 0xe9]), status: 422, reason: /not valid UTF-8/ },
    { name: "NUL bytes (binary)", headers: TEXT, body: () => new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x41]), status: 422, reason: /NUL/ },
    { name: "empty body", headers: TEXT, body: () => "", status: 400, reason: /Empty body/ },
    { name: "whitespace only", headers: TEXT, body: () => " \n\t\r\n  \n", status: 400, reason: /only whitespace/ },
    { name: "a BOM and nothing else", headers: TEXT, body: () => "\uFEFF", status: 400, reason: /only whitespace/ },
    { name: "a BOM and whitespace", headers: TEXT, body: () => "\uFEFF \n \n", status: 400, reason: /only whitespace/ },
    { name: "control characters only", headers: TEXT, body: () => "\u0001\u0002\n\u007F\u0085", status: 400, reason: /only whitespace/ },
    { name: "no Content-Type", headers: {}, body: () => new Uint8Array(new TextEncoder().encode(ARTICLE)), status: 415, reason: /Content-Type is required/ },
    { name: "application/json", headers: { "Content-Type": "application/json" }, body: () => JSON.stringify({ text: ARTICLE }), status: 415, reason: /Unsupported Content-Type/ },
    { name: "text/html", headers: { "Content-Type": "text/html" }, body: () => `<p>${ARTICLE}</p>`, status: 415, reason: /Unsupported Content-Type/ },
    { name: "application/octet-stream", headers: { "Content-Type": "application/octet-stream" }, body: () => ARTICLE, status: 415, reason: /Unsupported Content-Type/ },
    { name: "multipart/form-data", headers: { "Content-Type": "multipart/form-data; boundary=x" }, body: () => ARTICLE, status: 415, reason: /Unsupported Content-Type/ },
    { name: "text/plainx (prefix trick)", headers: { "Content-Type": "text/plainx" }, body: () => ARTICLE, status: 415, reason: /Unsupported Content-Type/ },
    { name: "charset ISO-8859-1", headers: { "Content-Type": "text/plain; charset=ISO-8859-1" }, body: () => ARTICLE, status: 415, reason: /charset/ },
    { name: "charset UTF-16", headers: { "Content-Type": "text/markdown; charset=utf-16" }, body: () => ARTICLE, status: 415, reason: /charset/ },
  ];

  for (const row of badBodies) {
    it(`refuses ${row.name} → ${row.status}`, async () => {
      const body = row.body();
      const send = body instanceof ReadableStream ? putInIsolate : put;
      const response = await send("bad.txt", { headers: row.headers, body, duplex: "half" } as RequestInit);
      await expectJsonError(response, row.status, row.reason);
      expect(await r2Keys()).toEqual([]);
    });
  }

  it("stops reading a chunked body at the cap instead of buffering all of it", async () => {
    const { stream, state } = streamOf(8 * MAX_UPLOAD_BYTES);
    const request = new Request(`${BASE}/admin/articles/big.txt`, { method: "PUT", headers: { ...AUTH, ...TEXT }, body: stream, duplex: "half" } as RequestInit);
    expect(request.headers.get("content-length")).toBeNull();
    const response = await app.request(request, undefined, env);
    await expectJsonError(response, 413, /larger than/);
    // Read at most the cap plus the chunk that crossed it (and what the runtime buffered ahead), never 8 MiB.
    expect(state.pulled).toBeLessThan(2 * MAX_UPLOAD_BYTES);
    expect(await r2Keys()).toEqual([]);
  });

  it("refuses a declared Content-Length over the cap before reading the body", async () => {
    const { stream, state } = streamOf(2 * MAX_UPLOAD_BYTES);
    const request = new Request(`${BASE}/admin/articles/big.txt`, {
      method: "PUT",
      headers: { ...AUTH, ...TEXT, "Content-Length": String(2 * MAX_UPLOAD_BYTES) },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const response = await app.request(request, undefined, env);
    await expectJsonError(response, 413, /larger than/);
    expect(state.pulled).toBeLessThanOrEqual(2 * 64 * 1024);
  });

  it("accepts exactly 1 MiB, streamed or not", async () => {
    const body = "Word ".repeat(MAX_UPLOAD_BYTES / 4).slice(0, MAX_UPLOAD_BYTES);
    expect(new TextEncoder().encode(body).byteLength).toBe(MAX_UPLOAD_BYTES);
    expect((await put("exact.txt", { headers: TEXT, body })).status).toBe(201);
    const { stream } = streamOf(MAX_UPLOAD_BYTES, 1000);
    expect((await put("exact-streamed.txt", { headers: TEXT, body: stream, duplex: "half" } as RequestInit)).status).toBe(201);
    expect((await env.CORPUS.head("exact-streamed.txt"))?.size).toBe(MAX_UPLOAD_BYTES);
  });

  it("strips a UTF-8 byte-order mark before storing", async () => {
    const response = await put("bom.md", { headers: MARKDOWN, body: "\uFEFF" + QUAKE });
    expect(response.status).toBe(201);
    const stored = new Uint8Array(await (await env.CORPUS.get("bom.md"))!.arrayBuffer());
    expect([...stored.slice(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(stored)).toBe(QUAKE);
  });

  it("accepts text/markdown and text/plain with a UTF-8 charset in any spelling", async () => {
    for (const [key, type] of [
      ["a.md", "text/markdown; charset=UTF-8"],
      ["b.md", 'text/markdown;charset="utf-8"'],
      ["c.txt", "Text/Plain"],
      ["d.txt", "text/plain; charset=utf8; format=flowed"],
    ]) {
      const response = await put(key, { headers: { "Content-Type": type }, body: ARTICLE });
      expect(response.status, type).toBe(201);
    }
    expect(await r2Keys()).toEqual(["a.md", "b.md", "c.txt", "d.txt"]);
  });
});

describe("the admin API doing its job", () => {
  const getAuthed = (path: string) => call(path, { headers: AUTH });

  it("PUT stores an article, GET lists it, rebuild publishes it, DELETE removes it", async () => {
    // Upload.
    let response = await call("/admin/articles/world/quake.md", { method: "PUT", headers: { ...AUTH, ...MARKDOWN }, body: QUAKE });
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const created = (await response.json()) as { key: string; size: number; etag: string; created: boolean };
    expect(created).toMatchObject({ key: "world/quake.md", size: new TextEncoder().encode(QUAKE).byteLength, created: true });
    expect((await env.CORPUS.get("world/quake.md"))?.httpMetadata?.contentType).toBe("text/markdown; charset=utf-8");
    response = await call("/admin/articles/bridge.txt", { method: "PUT", headers: { ...AUTH, ...TEXT }, body: ARTICLE });
    expect(response.status).toBe(201);

    // Replace: 200, not created.
    response = await call("/admin/articles/bridge.txt", { method: "PUT", headers: { ...AUTH, ...TEXT }, body: ARTICLE + "\nThe mayor thanked the crews for their work on the bridge.\n" });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { created: boolean }).created).toBe(false);

    // List.
    response = await getAuthed("/admin/articles");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const list = (await response.json()) as { articles: { key: string; size: number; etag: string; uploaded: string }[]; cursor: string | null; truncated: boolean };
    expect(list.articles.map((a) => a.key)).toEqual(["bridge.txt", "world/quake.md"]);
    expect(list.articles[1]).toMatchObject({ key: "world/quake.md", size: created.size, etag: created.etag });
    expect(list.truncated).toBe(false);
    expect(list.cursor).toBeNull();

    // Rebuild publishes both.
    response = await call("/admin/rebuild", { method: "POST", headers: AUTH });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const published = (await response.json()) as { status: string; record: { buildId: string; articles: number; rejected: unknown[] } };
    expect(published.status).toBe("published");
    expect(published.record.articles).toBe(2);
    expect(published.record.rejected).toEqual([]);
    let digest = (await (await call("/digest.json")).json()) as { stories: { title: string; articles: { path: string }[] }[] };
    const paths = digest.stories.flatMap((s) => s.articles.map((a) => a.path)).sort();
    expect(paths).toEqual(["bridge.txt", "world/quake.md"]);
    expect(digest.stories.map((s) => s.title)).toContain("Strong earthquake shakes Chilean coast");

    // Unchanged corpus: nothing to do, unless forced.
    response = await call("/admin/rebuild", { method: "POST", headers: AUTH });
    expect(((await response.json()) as { status: string }).status).toBe("unchanged");
    response = await call("/admin/rebuild?force=1", { method: "POST", headers: AUTH });
    expect(((await response.json()) as { status: string; record: { buildId: string } }).status).toBe("published");

    // Delete, then a second delete is a 404; the next rebuild drops the article.
    response = await call("/admin/articles/world/quake.md", { method: "DELETE", headers: AUTH });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ key: "world/quake.md", deleted: true });
    await expectJsonError(await call("/admin/articles/world/quake.md", { method: "DELETE", headers: AUTH }), 404, /No article/);
    expect(await r2Keys()).toEqual(["bridge.txt"]);
    response = await call("/admin/rebuild", { method: "POST", headers: AUTH });
    expect(((await response.json()) as { status: string }).status).toBe("published");
    digest = (await (await call("/digest.json")).json()) as typeof digest;
    expect(digest.stories.flatMap((s) => s.articles.map((a) => a.path))).toEqual(["bridge.txt"]);
  });

  it("pages the listing with ?limit= and ?cursor=", async () => {
    const keys = Array.from({ length: 7 }, (_, i) => `page/a${i}.txt`);
    await putArticles(Object.fromEntries(keys.map((key) => [key, ARTICLE])));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await getAuthed(`/admin/articles?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { articles: { key: string }[]; cursor: string | null; truncated: boolean };
      expect(page.articles.length).toBeLessThanOrEqual(3);
      seen.push(...page.articles.map((a) => a.key));
      cursor = page.cursor;
      expect(page.truncated).toBe(cursor !== null);
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(keys);
  });

  it("refuses bad paging parameters and bad rebuild flags with 400", async () => {
    for (const query of ["limit=0", "limit=1001", "limit=-1", "limit=abc", "limit=1.5", "limit=99999", "cursor=%00", `cursor=${"x".repeat(2000)}`]) {
      await expectJsonError(await getAuthed(`/admin/articles?${query}`), 400, /limit|cursor/, query);
    }
    await expectJsonError(await call("/admin/rebuild?force=yes", { method: "POST", headers: AUTH }), 400, /force/);
    await expectJsonError(await call("/admin/rebuild?allowShrink=2", { method: "POST", headers: AUTH }), 400, /allowShrink/);
    expect(await env.DIGEST.get("pointer")).toBeNull();
  });

  it("answers other methods with 405 and Allow, after auth", async () => {
    const cases: [string, string, string][] = [
      ["POST", "/admin/articles", "GET, HEAD"],
      ["DELETE", "/admin/articles", "GET, HEAD"],
      ["GET", "/admin/articles/a.md", "PUT, DELETE"],
      ["POST", "/admin/articles/a.md", "PUT, DELETE"],
      ["GET", "/admin/rebuild", "POST"],
      ["PUT", "/admin/rebuild", "POST"],
    ];
    for (const [method, path, allow] of cases) {
      await expectJsonError(await call(path, { method }), 401);
      const response = await call(path, { method, headers: AUTH });
      await expectJsonError(response, 405, /Method not allowed/, `${method} ${path}`);
      expect(response.headers.get("allow"), `${method} ${path}`).toBe(allow);
    }
    // HEAD on the listing: headers only.
    const head = await call("/admin/articles", { method: "HEAD", headers: AUTH });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    // The public routes keep their own 405s.
    const publicPut = await call("/", { method: "PUT" });
    expect(publicPut.status).toBe(405);
    expect(publicPut.headers.get("allow")).toBe("GET, HEAD");
  });
});
