// Input checks for the admin API: bearer-token auth compared in constant time, an allowlist
// for article keys, and upload bodies read under a size cap and decoded as strict UTF-8.
// Every check throws HTTPException with a reason the client can act on; src/app.ts renders it.
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { MAX_ARTICLE_BYTES, RejectedFileError, decodeFile } from "./pipeline/ingest";

/** Largest upload accepted: the same cap the pipeline applies to corpus files (1 MiB). */
export const MAX_UPLOAD_BYTES = MAX_ARTICLE_BYTES;
/** Longest article key, in UTF-8 bytes. */
const MAX_KEY_BYTES = 200;
/** Longest bearer token we read at all; anything longer is a malformed header, not a guess. */
const MAX_TOKEN_CHARS = 4096;

const BEARER_REALM = 'Bearer realm="news-digest admin"';

/** An HTTPException that carries extra response headers (rendered by app.onError). */
export function httpError(status: ContentfulStatusCode, message: string, headers?: Record<string, string>): HTTPException {
  return new HTTPException(status, { message, res: headers ? new Response(null, { headers }) : undefined });
}

// ---------------------------------------------------------------------------------------------
// Authentication

type BearerCredentials =
  | { kind: "missing" }
  | { kind: "other-scheme" }
  | { kind: "malformed"; reason: string }
  | { kind: "token"; token: string };

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Read an Authorization header. Another well-formed scheme (Basic …) is "other-scheme", not malformed. */
export function parseAuthorization(header: string | undefined | null): BearerCredentials {
  if (header === undefined || header === null) return { kind: "missing" };
  const value = header.trim();
  if (!value) return { kind: "malformed", reason: "empty Authorization header" };
  const match = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?: +(.*))?$/.exec(value);
  if (!match) return { kind: "malformed", reason: "Authorization header is not '<scheme> <credentials>'" };
  const [, scheme, rest] = match;
  if (scheme.toLowerCase() !== "bearer") return rest === undefined ? { kind: "malformed", reason: "Authorization header has no credentials" } : { kind: "other-scheme" };
  if (rest === undefined || !rest.trim()) return { kind: "malformed", reason: "Bearer token is missing" };
  const token = rest.trim();
  if (token.length > MAX_TOKEN_CHARS) return { kind: "malformed", reason: `Bearer token is longer than ${MAX_TOKEN_CHARS} characters` };
  if (!B64TOKEN.test(token)) return { kind: "malformed", reason: "Bearer token has characters RFC 6750 does not allow" };
  return { kind: "token", token };
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/**
 * Compare a presented token with the secret in constant time. Both sides are hashed first,
 * so the comparison always runs over 32 bytes whatever the lengths, and neither the length
 * nor a matching prefix of the secret leaks through timing.
 */
export async function tokensMatch(presented: string, secret: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(presented), sha256(secret)]);
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (a: ArrayBufferView, b: ArrayBufferView) => boolean };
  if (typeof subtle.timingSafeEqual === "function") return subtle.timingSafeEqual(a, b);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** The configured admin token, or null when the admin API is switched off. */
export function configuredToken(secret: string | undefined): string | null {
  return typeof secret === "string" && secret.trim() !== "" ? secret : null;
}

/**
 * Check a request's Authorization header against the secret. Throws 400 (malformed header)
 * or 401 with `WWW-Authenticate: Bearer` (missing, other scheme, wrong token).
 */
export async function requireBearer(header: string | undefined, secret: string): Promise<void> {
  const credentials = parseAuthorization(header);
  switch (credentials.kind) {
    case "missing":
      throw httpError(401, "Authentication required: send 'Authorization: Bearer <token>'.", { "WWW-Authenticate": BEARER_REALM });
    case "other-scheme":
      throw httpError(401, "Only Bearer tokens are accepted.", { "WWW-Authenticate": BEARER_REALM });
    case "malformed":
      throw httpError(400, `Malformed Authorization header: ${credentials.reason}.`, {
        "WWW-Authenticate": `${BEARER_REALM}, error="invalid_request"`,
      });
    case "token":
      if (!(await tokensMatch(credentials.token, secret))) {
        throw httpError(401, "Invalid token.", { "WWW-Authenticate": `${BEARER_REALM}, error="invalid_token"` });
      }
  }
}

// ---------------------------------------------------------------------------------------------
// Article keys

// One optional folder, then a file name; every segment starts with a letter or digit (so no
// `.`/`..` segments and no hidden files); only .txt and .md.
const SEGMENT = "[a-z0-9][a-z0-9._-]*";
const KEY_PATTERN = new RegExp(`^(?:${SEGMENT}/)?${SEGMENT}\\.(?:txt|md)$`);

type KeyCheck = { ok: true; key: string } | { ok: false; reason: string };

/** Reasons a key (raw or decoded) is never acceptable, checked before the allowlist for a clear message. */
function dangerReason(key: string): string | null {
  if (key.includes("\u0000")) return "contains a NUL byte";
  if (key.includes("\\")) return "contains a backslash";
  if (/^\//.test(key) || /^[A-Za-z]:/.test(key)) return "is an absolute path";
  if (key.split("/").some((segment) => segment === ".")) return "contains a '.' path segment (path traversal)";
  if (key.includes("..")) return "contains '..' (path traversal)";
  return null;
}

/**
 * Validate an article key as it arrived in the URL path (still percent-encoded): check it,
 * decode it once, and check the decoded key again against the allowlist. A key that still
 * holds '%' after one decoding (double encoding) is refused by the allowlist.
 */
export function checkArticleKey(raw: string): KeyCheck {
  if (raw === "") return { ok: false, reason: "missing article key" };
  const rawDanger = dangerReason(raw);
  if (rawDanger) return { ok: false, reason: `key ${rawDanger}` };
  let key: string;
  try {
    key = decodeURIComponent(raw);
  } catch {
    return { ok: false, reason: "key has malformed percent-encoding" };
  }
  const danger = dangerReason(key);
  if (danger) return { ok: false, reason: `key ${danger}${key !== raw ? " once percent-decoded" : ""}` };
  if (new TextEncoder().encode(key).byteLength > MAX_KEY_BYTES) return { ok: false, reason: `key is longer than ${MAX_KEY_BYTES} bytes` };
  if (key.includes("%")) return { ok: false, reason: "key is percent-encoded more than once" };
  if (key.split("/").length > 2) return { ok: false, reason: "key may have at most one folder level" };
  if (!/\.(txt|md)$/.test(key)) return { ok: false, reason: "key must end in .txt or .md" };
  if (!KEY_PATTERN.test(key)) {
    return {
      ok: false,
      reason: "key may use only lowercase letters, digits, '-', '_' and '.', each part starting with a letter or digit",
    };
  }
  return { ok: true, key };
}

// ---------------------------------------------------------------------------------------------
// Upload bodies

const ARTICLE_TYPES = new Set(["text/plain", "text/markdown"]);

/** Accept text/plain or text/markdown, charset UTF-8 when a charset is given; else 415. */
export function checkArticleContentType(header: string | undefined): string {
  if (!header) throw httpError(415, "Content-Type is required: text/plain or text/markdown (UTF-8).");
  const [type, ...params] = header.split(";").map((part) => part.trim());
  const mediaType = type.toLowerCase();
  if (!ARTICLE_TYPES.has(mediaType)) throw httpError(415, `Unsupported Content-Type '${mediaType.slice(0, 100)}': use text/plain or text/markdown.`);
  for (const param of params) {
    const [name, value = ""] = param.split("=");
    if (name.trim().toLowerCase() !== "charset") continue;
    const charset = value.trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") throw httpError(415, `Unsupported charset '${charset.slice(0, 40)}': articles must be UTF-8.`);
  }
  return `${mediaType}; charset=utf-8`;
}

/**
 * Read a request body, at most `max` bytes. A declared Content-Length over the cap is refused
 * before reading; a body without one (chunked) is counted while it streams and the read stops
 * at the first byte over the cap. Either way: 413.
 */
export async function readBodyCapped(request: Request, max = MAX_UPLOAD_BYTES): Promise<Uint8Array> {
  const tooLarge = () => httpError(413, `Body is larger than ${max} bytes (articles may be at most 1 MiB).`);
  const declared = request.headers.get("Content-Length");
  if (declared !== null) {
    if (!/^\d+$/.test(declared.trim())) throw httpError(400, "Malformed Content-Length header.");
    if (Number(declared) > max) throw tooLarge();
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * An upload's bytes as stored: strict UTF-8, without a BOM. What the build would reject is
 * refused here by the build's own rules (decodeFile): empty text 400, too large 413, binary
 * or not UTF-8 422. The bytes are kept as sent, not decoded and encoded again.
 */
export function checkArticleBody(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength === 0) throw httpError(400, "Empty body: an article needs text.");
  try {
    decodeFile({ path: "upload", bytes, entered: null });
  } catch (error) {
    if (!(error instanceof RejectedFileError)) throw error;
    if (error.kind === "empty") throw httpError(400, "Body is empty or only whitespace (or control characters): an article needs text.");
    throw httpError(error.kind === "size" ? 413 : 422, `Body is not an article: ${error.message}.`);
  }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return bom ? bytes.subarray(3) : bytes;
}
