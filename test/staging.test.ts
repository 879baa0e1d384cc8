// One storage-operation budget per run, inside workerd against the local R2 and KV. A build
// whose new outputs do not fit in one run's operations is published over several runs: each
// run stays within its budget (counted here on the bindings themselves, not by the code under
// test), readers see the previous digest whole until the new one is complete, nothing written
// is written again, and outputs staged for a build that never went live are deleted.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { rebuild } from "../src/rebuild";
import { BUILD_INDEX_KEY, readPointer } from "../src/storage/published";
import { synthCorpus } from "../scripts/synth";
import { get, instrument, kvKeys, liveManifest, publishFresh } from "./helpers";

/** A hundred articles in some twenty stories (the benchmark's generator): a page each, plus feeds and indexes. */
const CORPUS = Object.fromEntries(synthCorpus(100, 7).articles.map((article) => [article.path, article.text]));
/** A new site title changes every output; the corpus is the same, so no run needs to read it again. */
const RENAMED = { DIGEST_TITLE: "Renamed Digest" };
/** Small enough that the renamed build's outputs take several runs. */
const OPERATIONS = 40;

type Method = "get" | "put" | "delete" | "list" | "head";

/** The environment with both bindings counting every storage operation they make. */
function countedEnv() {
  const kv = instrument(env.DIGEST, ["get", "put", "delete", "list"] as Method[]);
  const r2 = instrument(env.CORPUS, ["get", "list", "head"] as Method[]);
  const total = () => Object.values(kv.calls).reduce((s, n) => s + n, 0) + Object.values(r2.calls).reduce((s, n) => s + n, 0);
  return { env: { ...env, DIGEST: kv.binding, CORPUS: r2.binding }, kvPuts: kv.keys.put as string[], total };
}

interface Health {
  buildId: string | null;
  publishing: { written: number; outputs: number } | null;
}

describe("a publish larger than one run's storage operations", () => {
  beforeEach(async () => {
    await publishFresh(CORPUS);
  });

  it("is written over several runs, each within its budget, while readers keep the previous digest whole", async () => {
    const before = await liveManifest();
    const frontBefore = await (await get("/")).text();
    const blobPuts: string[] = [];
    const statuses: string[] = [];
    const progress: number[] = [];
    for (let run = 0; run < 10; run++) {
      const counted = countedEnv();
      // Forced once, as an operator's rebuild is; the cron runs that follow finish the job.
      const result = await rebuild({ ...counted.env, ...RENAMED }, { force: run === 0, operations: OPERATIONS });
      expect(counted.total(), `storage operations in run ${run + 1}`).toBeLessThanOrEqual(OPERATIONS);
      blobPuts.push(...counted.kvPuts.filter((key) => key.startsWith("blob/")));
      statuses.push(result.status);
      if (result.status !== "staging") break;
      // Still the first build, whole: pointer, front page, health.
      expect(await readPointer(env.DIGEST)).toBe(before.record.buildId);
      expect(await (await get("/")).text()).toBe(frontBefore);
      const health = (await (await get("/healthz")).json()) as Health;
      expect(health.buildId).toBe(before.record.buildId);
      expect(health.publishing!.written).toBeLessThan(health.publishing!.outputs);
      progress.push(health.publishing!.written);
    }
    expect(statuses.length).toBeGreaterThanOrEqual(3);
    expect(statuses.slice(0, -1).every((s) => s === "staging")).toBe(true);
    expect(statuses.at(-1)).toBe("published");
    // Each run adds to what the runs before it wrote.
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]);

    const after = await liveManifest();
    expect(after.record.buildId).not.toBe(before.record.buildId);
    expect(await (await get("/")).text()).toContain(RENAMED.DIGEST_TITLE);
    // Every output of the new build is stored, and none was written twice across the runs.
    const stored = new Set(await kvKeys("blob/"));
    for (const entry of Object.values(after.files)) expect(stored.has(entry.blob), entry.blob).toBe(true);
    expect(blobPuts.length).toBe(new Set(blobPuts).size);
    expect((await (await get("/healthz")).json()) as Health).toMatchObject({ buildId: after.record.buildId, publishing: null });
    expect((await rebuild({ ...env, ...RENAMED })).status).toBe("unchanged");
  });

  it("deletes what it staged for a build that never went live", async () => {
    expect((await rebuild({ ...env, ...RENAMED }, { force: true, operations: OPERATIONS })).status).toBe("staging");
    const stagedBlobs = JSON.parse((await env.DIGEST.get(BUILD_INDEX_KEY, "text"))!).staged as string[];
    expect(stagedBlobs.length).toBeGreaterThan(0);

    // The title changes again before that build went live: what was staged for it is never used.
    expect((await rebuild({ ...env, DIGEST_TITLE: "Third Title" }, { force: true })).status).toBe("published");
    const live = await liveManifest();
    const used = new Set(Object.values(live.files).map((entry) => entry.blob));
    const index = JSON.parse((await env.DIGEST.get(BUILD_INDEX_KEY, "text"))!) as { staged?: string[] };
    expect(index.staged ?? []).toEqual([]);
    const left = new Set(await kvKeys("blob/"));
    const unused = stagedBlobs.filter((blob) => !used.has(blob));
    expect(unused.length).toBeGreaterThan(0);
    for (const blob of unused) expect(left.has(blob), `${blob} staged for a build that never went live`).toBe(false);
  });
});
