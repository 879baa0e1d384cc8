// Garbage collection of old builds, inside workerd against the local KV. Builds are published
// straight through publishBuild with synthetic outputs and builtAt times chosen by the test, since
// the collector measures time by builtAt: a build must stay whole while it is among the newest
// three or was replaced less than an hour ago, and must go (manifest and the blobs only it used)
// once it is neither. Outputs share blobs across builds (a constant style.css, a digest.json that
// flips between two values), so deleting a blob a kept build still uses shows up as a missing key.
// KV is listed after each step and compared with exactly the keys the kept builds need.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { OPERATIONS_PER_RUN, rebuild } from "../src/rebuild";
import { OperationBudget } from "../src/storage/budget";
import {
  BUILD_INDEX_KEY,
  KEEP_BUILDS,
  MAX_GC_DELETES,
  RETIRE_AFTER_MS,
  publishBuild,
  readManifest,
  readPointer,
  type BuildRecord,
  type Manifest,
  type OutputFile,
} from "../src/storage/published";
import { SEEDS, clearStorage, get, instrument, kvKeys, putArticles } from "./helpers";

const MINUTE = 60_000;
const START = Date.parse("2024-08-01T00:00:00Z");
/** RFC 3339 time `minutes` after START, as the rebuild writes builtAt. */
const at = (minutes: number) => new Date(START + minutes * MINUTE).toISOString().replace(/\.\d{3}Z$/, "Z");

function recordOf(n: number, minutes: number): Omit<BuildRecord, "buildId"> {
  return { fingerprint: `fingerprint-${n}`, generatedAt: at(minutes), builtAt: at(minutes), stories: 0, articles: 0, duplicates: 0, rejected: [] };
}

/** Build n's outputs: one blob every build shares, one two builds apart share, the rest its own. */
function outputsOf(n: number, ownFiles = 3): OutputFile[] {
  const outputs: OutputFile[] = [
    { path: "style.css", body: "body { font: 16px serif; }", contentType: "text/css; charset=utf-8" },
    { path: "digest.json", body: JSON.stringify({ stories: [], rejected: [], parity: n % 2 }), contentType: "application/json" },
    { path: "index.html", body: `<!doctype html><h1>Build ${n}</h1>`, contentType: "text/html; charset=utf-8" },
  ];
  for (let i = 1; i < ownFiles; i++) {
    outputs.push({ path: `stories/s${i}`, body: `<!doctype html><p>Story ${i} of build ${n}</p>`, contentType: "text/html; charset=utf-8" });
  }
  return outputs;
}

/** Publishes builds in order, each with the one before it as `previous`, as the rebuild does. */
class History {
  readonly builds = new Map<number, { manifest: Manifest; outputs: OutputFile[] }>();
  private previous: Manifest | null = null;

  async publish(n: number, minutes: number, options: { kv?: KVNamespace; ownFiles?: number } = {}): Promise<Manifest> {
    const outputs = outputsOf(n, options.ownFiles);
    const published = await publishBuild(options.kv ?? env.DIGEST, recordOf(n, minutes), outputs, this.previous, new OperationBudget(OPERATIONS_PER_RUN));
    if (!("manifest" in published)) throw new Error(`build ${n} did not fit in one run`);
    const { manifest } = published;
    this.previous = manifest;
    this.builds.set(n, { manifest, outputs });
    return manifest;
  }

  manifest(n: number): Manifest {
    const build = this.builds.get(n);
    if (!build) throw new Error(`build ${n} was not published`);
    return build.manifest;
  }

  /** Every KV key builds `ns` need, plus the pointer and the collector's index. */
  keysOf(ns: number[]): string[] {
    const keys = new Set(["pointer", BUILD_INDEX_KEY]);
    for (const n of ns) {
      keys.add(`build/${this.manifest(n).record.buildId}`);
      for (const entry of Object.values(this.manifest(n).files)) keys.add(entry.blob);
    }
    return [...keys].sort();
  }

  /** Blob keys build n uses that none of builds `kept` uses. */
  ownBlobs(n: number, kept: number[]): string[] {
    const keptBlobs = new Set(kept.flatMap((k) => Object.values(this.manifest(k).files).map((entry) => entry.blob)));
    return Object.values(this.manifest(n).files)
      .map((entry) => entry.blob)
      .filter((blob) => !keptBlobs.has(blob));
  }
}

/** Build n's manifest and every output's bytes, read back from KV. */
async function expectWhole(history: History, n: number): Promise<void> {
  const { manifest, outputs } = history.builds.get(n)!;
  const stored = await env.DIGEST.get<Manifest>(`build/${manifest.record.buildId}`, "json");
  expect(stored?.files, `manifest of build ${n}`).toEqual(manifest.files);
  for (const output of outputs) {
    expect(await env.DIGEST.get(manifest.files[output.path].blob), `${output.path} of build ${n}`).toBe(output.body);
  }
}

const KV_METHODS = ["get", "put", "delete", "list"] as const;
type KvMethod = (typeof KV_METHODS)[number];

/** env.DIGEST counting its calls, with any method replaced (the replacement gets the original). */
function instrumentedKv(replace: Parameters<typeof instrument<KVNamespace, KvMethod>>[2] = {}) {
  const { binding: kv, calls } = instrument(env.DIGEST, KV_METHODS, replace);
  return { kv, calls };
}

describe("garbage collection of old builds", () => {
  beforeEach(clearStorage);

  it("has the policy values the scenarios below are timed against: three builds kept, an hour's grace, 200 deletions a publish", () => {
    expect(KEEP_BUILDS).toBe(3);
    expect(RETIRE_AFTER_MS).toBe(60 * MINUTE);
    expect(MAX_GC_DELETES).toBe(200);
  });

  it("keeps every build replaced within the hour whole, however many there are", async () => {
    const history = new History();
    for (let n = 1; n <= 7; n++) {
      await history.publish(n, n);
      // Seven builds a minute apart: all were live less than an hour ago, so a reader that
      // still has any of them as its pointer must find it all.
      for (let earlier = 1; earlier <= n; earlier++) await expectWhole(history, earlier);
    }
    expect(await kvKeys()).toEqual(history.keysOf([1, 2, 3, 4, 5, 6, 7]));
  });

  it("keeps the live build and the two before it whole, however old they are", async () => {
    const history = new History();
    for (let n = 1; n <= 6; n++) {
      // Two hours apart: past the grace period, only the count keeps builds.
      await history.publish(n, n * 120);
      for (let kept = Math.max(1, n - 2); kept <= n; kept++) await expectWhole(history, kept);
      const kept = [n, n - 1, n - 2].filter((k) => k >= 1);
      expect(await kvKeys(), `after build ${n}`).toEqual(history.keysOf(kept));
    }
  });

  it("deletes a build once it is neither among the newest three nor replaced within the hour, with the blobs only it used", async () => {
    const history = new History();
    for (let n = 1; n <= 5; n++) await history.publish(n, n);
    // Minute 63: build 2 was replaced at minute 3 (an hour ago exactly) and goes, with build 1;
    // build 3, replaced at minute 4, has a minute of grace left.
    await history.publish(6, 63);
    expect(await kvKeys()).toEqual(history.keysOf([6, 5, 4, 3]));
    for (const n of [1, 2]) {
      expect(await env.DIGEST.get(`build/${history.manifest(n).record.buildId}`), `manifest of build ${n}`).toBeNull();
      const own = history.ownBlobs(n, [6, 5, 4, 3]);
      expect(own.length).toBeGreaterThan(0);
      for (const blob of own) expect(await env.DIGEST.get(blob), `${blob} of build ${n}`).toBeNull();
    }
    // The shared style.css and the digest.json build 1 shared with builds 3 and 5 stay.
    for (const n of [6, 5, 4, 3]) await expectWhole(history, n);

    // An hour later builds 3 and 4 are past their grace and behind the newest three: they go too.
    await history.publish(7, 130);
    expect(await kvKeys()).toEqual(history.keysOf([7, 6, 5]));
    for (const n of [7, 6, 5]) await expectWhole(history, n);
    const page = await get("/");
    expect(page.status).toBe(200);
    expect(await page.text()).toBe("<!doctype html><h1>Build 7</h1>");
  });

  it("keeps KV bounded over 20 publishes, reading and deleting little each time", async () => {
    const history = new History();
    const ownFiles = 6;
    for (let n = 1; n <= 20; n++) {
      const { kv, calls } = instrumentedKv();
      // Every 20 minutes: the newest three plus the one replaced 40 minutes ago are kept.
      await history.publish(n, n * 20, { kv, ownFiles });
      const keys = await kvKeys();
      const manifests = keys.filter((key) => key.startsWith("build/"));
      expect(manifests.length, `manifests after build ${n}`).toBeLessThanOrEqual(4);
      // pointer, index, 4 manifests, 4 builds' blobs (style.css shared by all).
      expect(keys.length, `keys after build ${n}`).toBeLessThanOrEqual(2 + 4 + 4 * (ownFiles + 2));
      expect(calls.delete, `deletions in publish ${n}`).toBeLessThanOrEqual(MAX_GC_DELETES);
      // Only the collector's index: every manifest it needs, the retired build's too, is in hand
      // or in this isolate's manifest cache (a cold isolate would read those few as well).
      expect(calls.get, `reads in publish ${n}`).toBe(1);
      expect(calls.list, `lists in publish ${n}`).toBe(n === 1 ? 1 : 0);
    }
    expect(await kvKeys()).toEqual(history.keysOf([20, 19, 18, 17]));
    for (const n of [20, 19, 18, 17]) await expectWhole(history, n);
  });

  it("deletes at most 200 keys a publish and a manifest only after its blobs", async () => {
    const history = new History();
    await history.publish(1, 0, { ownFiles: 450 });
    for (let n = 2; n <= 4; n++) await history.publish(n, n);
    const bigManifest = `build/${history.manifest(1).record.buildId}`;
    const bigBlobs = history.ownBlobs(1, [2, 3, 4]);
    expect(bigBlobs.length).toBeGreaterThan(2 * MAX_GC_DELETES);

    const deletions: number[] = [];
    for (const [n, minutes] of [[5, 200], [6, 201], [7, 202]]) {
      const { kv, calls } = instrumentedKv();
      await history.publish(n, minutes, { kv });
      deletions.push(calls.delete);
      const left = (await kvKeys()).filter((key) => bigBlobs.includes(key));
      if (n < 7) {
        // Build 1 is being deleted in slices; its manifest stays as the record of what is left.
        expect(left.length).toBe(bigBlobs.length - MAX_GC_DELETES * (n - 4));
        expect(await env.DIGEST.get(bigManifest)).not.toBeNull();
      } else {
        expect(left).toEqual([]);
        expect(await env.DIGEST.get(bigManifest)).toBeNull();
      }
    }
    expect(deletions.slice(0, 2)).toEqual([MAX_GC_DELETES, MAX_GC_DELETES]);
    expect(deletions[2]).toBeLessThanOrEqual(MAX_GC_DELETES);
    // Builds 2 and 3 were retired too once build 1 was done (build 4 was replaced at minute 200).
    await history.publish(8, 203);
    expect(await kvKeys()).toEqual(history.keysOf([8, 7, 6, 5, 4]));
  });

  it("does not delete what a build republished while it was being deleted uses", async () => {
    const history = new History();
    await history.publish(1, 0, { ownFiles: 450 });
    for (let n = 2; n <= 4; n++) await history.publish(n, n);
    await history.publish(5, 200);
    expect(await env.DIGEST.get(`build/${history.manifest(1).record.buildId}`)).not.toBeNull();

    // Build 1's exact outputs again (an operator's rollback): same build id, while half of its
    // blobs are deleted and the rest are queued for deletion.
    const again = await history.publish(1, 201, { ownFiles: 450 });
    expect(again.record.buildId).toBe(history.manifest(1).record.buildId);
    await expectWhole(history, 1);
    await history.publish(9, 202);
    await expectWhole(history, 1);
    await history.publish(10, 203);
    await expectWhole(history, 1);
  });

  it("adopts builds published before the index existed, and deletes them after the grace period", async () => {
    const history = new History();
    for (let n = 1; n <= 5; n++) await history.publish(n, n);
    // As in a deployment from before garbage collection: builds in KV and no index.
    await env.DIGEST.delete(BUILD_INDEX_KEY);
    await history.publish(6, 200);
    // Their order is unknown, so none is deleted at once.
    for (let n = 1; n <= 6; n++) await expectWhole(history, n);
    await history.publish(7, 300);
    expect(await kvKeys()).toEqual(history.keysOf([7, 6, 5]));
  });

  it("publishes, and serves the new build, when KV refuses every delete", async () => {
    const history = new History();
    // Old builds from 2024, far past the grace period by now, so the rebuild retires some.
    for (let n = 1; n <= 4; n++) await history.publish(n, n);
    const before = await kvKeys();
    await putArticles(SEEDS);

    const { kv, calls } = instrumentedKv({
      delete: () => {
        throw new Error("injected KV delete failure");
      },
    });
    const result = await rebuild({ ...env, DIGEST: kv }, { force: true });
    // The whole result, so that a failure shows the rebuild's error.
    expect(result).toMatchObject({ status: "published" });
    expect(calls.delete).toBeGreaterThan(0);
    const live = await readPointer(env.DIGEST);
    expect(live).toBe(result.record?.buildId);
    const page = await get("/");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
    const health = (await (await get("/healthz")).json()) as { buildId: string; lastError: unknown };
    expect(health.buildId).toBe(live);
    expect(health.lastError).toBeNull();
    // Nothing was deleted.
    for (const key of before) expect(await env.DIGEST.get(key), key).not.toBeNull();

    // The next publish, with a KV that deletes, catches up on what the failed one left.
    const next = await rebuild(env, { force: true });
    expect(next).toMatchObject({ status: "published" });
    for (const n of [1, 2]) expect(await env.DIGEST.get(`build/${history.manifest(n).record.buildId}`), `build ${n}`).toBeNull();
    expect((await get("/")).status).toBe(200);
  });

  it("publishes when the collector cannot even read its index", async () => {
    const history = new History();
    await history.publish(1, 0);
    let injected = false;
    const { kv } = instrumentedKv({
      get: (original, ...args) => {
        if (args[0] !== BUILD_INDEX_KEY) return original(...args);
        injected = true;
        throw new Error("injected KV read failure");
      },
    });
    const manifest = await history.publish(2, 1, { kv });
    expect(injected, "the collector read its index and met the failure").toBe(true);
    expect(await readPointer(env.DIGEST)).toBe(manifest.record.buildId);
    await expectWhole(history, 1);
    await expectWhole(history, 2);
  });
});

describe("publishing a large build", () => {
  beforeEach(clearStorage);

  it("writes each new output as it is rendered, so only a few rendered bodies are held at once", async () => {
    const count = 60;
    let rendered = 0;
    let stored = 0;
    let mostHeld = 0;
    function* outputs(): Generator<OutputFile> {
      for (let i = 0; i < count; i++) {
        rendered++;
        // Bodies rendered and not yet in KV: what the publish holds in memory.
        mostHeld = Math.max(mostHeld, rendered - stored);
        yield { path: `stories/s${i}.html`, body: `<!doctype html><p>Story ${i}: ${"text ".repeat(200)}</p>`, contentType: "text/html; charset=utf-8" };
      }
    }
    const { kv } = instrumentedKv({
      put: async (original, ...args) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        await original(...args);
        if (String(args[0]).startsWith("blob/")) stored++;
      },
    });
    const published = await publishBuild(kv, recordOf(1, 0), outputs(), null, new OperationBudget(OPERATIONS_PER_RUN));
    expect("manifest" in published).toBe(true);
    expect(mostHeld).toBeLessThanOrEqual(10);
    const manifest = (published as { manifest: Manifest }).manifest;
    expect(await readPointer(env.DIGEST)).toBe(manifest.record.buildId);
    expect(await env.DIGEST.get(manifest.files["stories/s59.html"].blob)).toMatch(/^<!doctype html><p>Story 59: /);
    expect(Object.keys(manifest.files)).toHaveLength(count);
  });
});

describe("publishing when the build index cannot be read", () => {
  beforeEach(clearStorage);

  it("writes nothing for a build too large for one run, since what it wrote could not be recorded or collected", async () => {
    const outputs = outputsOf(1, 20);
    let blobPuts = 0;
    const { kv } = instrumentedKv({
      get: (original, ...args) => {
        if (args[0] === BUILD_INDEX_KEY) throw new Error("injected KV read failure");
        return original(...args);
      },
      put: (original, ...args) => {
        if (String(args[0]).startsWith("blob/")) blobPuts++;
        return original(...args);
      },
    });
    // A budget leaving room for only a few blobs after what the switch and the collector keep
    // back: the 22 new outputs need more than one run.
    await expect(publishBuild(kv, recordOf(1, 0), outputs, null, new OperationBudget(30))).rejects.toThrow(/more than one run may write, and its progress cannot be recorded/);
    expect(blobPuts).toBe(0);
    expect(await kvKeys("blob/")).toEqual([]);
  });
});

describe("an isolate that publishes again and again", () => {
  beforeEach(clearStorage);

  it("keeps only a few manifests in memory: after 12 publishes the first build's manifest is read from KV again", async () => {
    const history = new History();
    for (let n = 1; n <= 12; n++) await history.publish(n, n);
    // Build 1 is retired by now; put its manifest back so a read can find it in KV.
    const first = history.manifest(1);
    await env.DIGEST.put(`build/${first.record.buildId}`, JSON.stringify(first));
    const { kv, calls } = instrumentedKv();
    expect(await readManifest(kv, first.record.buildId)).toEqual(first);
    expect(calls.get, "the 12th publish's isolate no longer holds build 1's manifest").toBe(1);
    // The live build's manifest is still at hand.
    expect(await readManifest(kv, history.manifest(12).record.buildId)).toEqual(history.manifest(12));
    expect(calls.get).toBe(1);
  });
});
