// /healthz: what is live and how the last rebuild went, for operators and uptime checks.
import { Hono } from "hono";
import { readStatus } from "../storage/published";

export const health = new Hono<{ Bindings: Env }>();

health.get("/healthz", async (c) => {
  const status = await readStatus(c.env.DIGEST);
  const current = status.current;
  const body = {
    ok: current !== null,
    buildId: current?.buildId ?? null,
    fingerprint: current?.fingerprint ?? null,
    builtAt: current?.builtAt ?? null,
    generatedAt: current?.generatedAt ?? null,
    stories: current?.stories ?? 0,
    articles: current?.articles ?? 0,
    duplicates: current?.duplicates ?? 0,
    rejected: current?.rejected ?? [],
    // Corpus objects not yet analysed: a large change is taken in bounded batches, one per run.
    pending: current?.pending ?? 0,
    // Corpus objects older than the newest DIGEST_MAX_ARTICLES, which the digest leaves out.
    leftOut: current?.leftOut ?? 0,
    // A new build too large to publish in one run: its outputs written so far, of how many.
    publishing: status.publishing ?? null,
    lastCheck: status.lastCheck,
    lastError: status.lastError,
  };
  return c.json(body, current ? 200 : 503, { "Cache-Control": "no-store" });
});
