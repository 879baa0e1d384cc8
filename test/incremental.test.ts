// Incremental rebuilds inside workerd: after every add, edit and delete, the rebuild that
// reads only what changed (and takes untouched stories' titles and summaries from the live
// build) publishes exactly the bytes a full rebuild (article index dropped, every object read
// and analysed again, every story summarized again) publishes, and it reads only the changed
// objects.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ANALYSIS_VERSION, buildDigestFromAnalyses, storyTextKey } from "../src/pipeline/build";
import { rebuild } from "../src/rebuild";
import { readIndex, writeIndex } from "../src/storage/article-index";
import { BUILD_INDEX_KEY, readBlob, readPointer } from "../src/storage/published";
import { SEEDS, clearStorage, get, instrument, kvKeys, liveManifest, publishFresh, putArticles, r2Keys } from "./helpers";

const EVENTS: Record<string, string> = {
  "wire/quake-a.txt":
    "Strong earthquake shakes Chilean coast\n\nSANTIAGO, March 3 (Example Wire) - A magnitude 6.8 earthquake struck off the coast of northern Chile on Tuesday, shaking buildings in Antofagasta and Iquique, the national seismology centre said.\n\nThere were no immediate reports of casualties. The navy said it did not expect a tsunami.\n\nThe quake hit at a depth of 40 km about 90 km west of Antofagasta, the centre said.\n",
  "daily/quake-b.txt":
    "Chile quake rattles Antofagasta, no tsunami expected\n\nA 6.8-magnitude earthquake hit northern Chile on Tuesday, rattling homes in Antofagasta and Iquique. The seismology centre put its depth at 40 km.\n\nThe navy ruled out a tsunami and emergency services said they had no reports of damage or injuries.\n",
  "wire/ferry-a.txt":
    "Ferry runs aground off Greek island, 300 evacuated\n\nATHENS, June 12 (Example Wire) - A passenger ferry carrying 300 people ran aground off the Greek island of Paros on Friday and all passengers were taken off safely, the coast guard said.\n\nThe coast guard said the Blue Star vessel hit rocks near the port of Parikia in strong winds.\n",
  "daily/ferry-b.txt":
    "All 300 safe after ferry hits rocks near Paros\n\nThe Greek coast guard evacuated 300 passengers from a ferry that ran aground near Parikia on the island of Paros on Friday. Strong winds pushed the Blue Star vessel onto rocks, officials said.\n",
  "wire/budget.txt":
    "City council approves record school budget\n\nNORTHFIELD, Sept 8 (Example Wire) - Northfield city council approved a record 412 million dollar school budget on Monday after a four-hour debate, the mayor's office said.\n\nThe budget adds 120 teachers and funds repairs at 14 schools, council members said.\n",
};

const FERRY_EDIT =
  "Ferry runs aground off Greek island, 300 evacuated\n\nATHENS, June 12 (Example Wire) - A passenger ferry carrying 300 people ran aground off the Greek island of Paros on Friday and all passengers were taken off safely, the coast guard said.\n\nThe coast guard said the Blue Star vessel hit rocks near the port of Parikia in strong winds. An investigation into the captain's decision to sail has been opened.\n";

/** The live build's outputs, path → ETag (strong ETags are hashes of the bytes). */
async function liveOutputs(): Promise<Record<string, string>> {
  const manifest = await liveManifest();
  return Object.fromEntries(Object.entries(manifest.files).map(([path, entry]) => [path, entry.etag]));
}

async function dropIndex(): Promise<void> {
  const keys = await kvKeys("index/");
  expect(keys.length, "the article index exists").toBeGreaterThan(0);
  await Promise.all(keys.map((key) => env.DIGEST.delete(key)));
}

/** env.CORPUS recording the key of every object read. */
function countingCorpus(): { bucket: R2Bucket; reads: string[] } {
  const { binding, keys } = instrument(env.CORPUS, ["get"]);
  return { bucket: binding, reads: keys.get as string[] };
}

type Step = { name: string; apply: () => Promise<unknown>; changed: string[] };

const STEPS: Step[] = [
  { name: "add two reports of one event", apply: () => putArticles({ "wire/quake-a.txt": EVENTS["wire/quake-a.txt"], "daily/quake-b.txt": EVENTS["daily/quake-b.txt"] }), changed: ["daily/quake-b.txt", "wire/quake-a.txt"] },
  { name: "add a new event", apply: () => putArticles({ "wire/ferry-a.txt": EVENTS["wire/ferry-a.txt"], "wire/budget.txt": EVENTS["wire/budget.txt"] }), changed: ["wire/budget.txt", "wire/ferry-a.txt"] },
  { name: "add a second source to a story", apply: () => putArticles({ "daily/ferry-b.txt": EVENTS["daily/ferry-b.txt"] }), changed: ["daily/ferry-b.txt"] },
  { name: "edit an article", apply: () => putArticles({ "wire/ferry-a.txt": FERRY_EDIT }), changed: ["wire/ferry-a.txt"] },
  { name: "add an exact copy under another key", apply: () => putArticles({ "mirror/quake-copy.txt": EVENTS["wire/quake-a.txt"] }), changed: ["mirror/quake-copy.txt"] },
  { name: "delete an article", apply: () => env.CORPUS.delete("daily/quake-b.txt"), changed: [] },
  { name: "delete a whole story", apply: () => env.CORPUS.delete("wire/budget.txt"), changed: [] },
];

describe("incremental rebuilds", () => {
  beforeAll(async () => {
    await publishFresh(SEEDS);
  });

  it("publish, after each add, edit and delete, byte for byte what a full rebuild publishes, reading only the changed objects", async () => {
    for (const step of STEPS) {
      const before = await liveOutputs();
      await step.apply();
      const { bucket, reads } = countingCorpus();
      const incremental = await rebuild({ ...env, CORPUS: bucket });
      expect(incremental.status, step.name).toBe("published");
      expect(reads.sort(), `${step.name}: objects read`).toEqual(step.changed);
      const afterIncremental = await liveOutputs();
      expect(afterIncremental, `${step.name}: the digest changed`).not.toEqual(before);

      await dropIndex();
      const full = countingCorpus();
      const fromScratch: typeof buildDigestFromAnalyses = (analyses, options) => buildDigestFromAnalyses(analyses, { ...options, previousText: undefined });
      expect((await rebuild({ ...env, CORPUS: full.bucket }, { force: true, build: fromScratch })).status).toBe("published");
      expect(full.reads.sort(), `${step.name}: the full rebuild read everything`).toEqual(await r2Keys());
      expect(await liveOutputs(), `${step.name}: incremental == full`).toEqual(afterIncremental);
    }
  });

  it("an unchanged corpus reads nothing and publishes nothing", async () => {
    const before = await liveOutputs();
    const { bucket, reads } = countingCorpus();
    expect((await rebuild({ ...env, CORPUS: bucket })).status).toBe("unchanged");
    expect(reads).toEqual([]);
    expect(await liveOutputs()).toEqual(before);
  });

  it("keeps the story page bytes and id of a story no change touched", async () => {
    const manifest = await liveManifest();
    const digestBefore = JSON.parse((await readBlob(env.DIGEST, manifest.files["digest.json"]))!) as {
      stories: { id: string; articles: { path: string }[] }[];
    };
    const seedStory = digestBefore.stories.find((s) => s.articles.some((a) => a.path in SEEDS))!;
    const page = `stories/${seedStory.id}.html`;
    const before = await liveOutputs();
    expect(before[page], "the seed story's page is published").toBeDefined();
    await putArticles({ "wire/budget.txt": EVENTS["wire/budget.txt"] });
    expect((await rebuild(env)).status).toBe("published");
    const after = await liveOutputs();
    expect(after[page]).toBe(before[page]);
  });

  it("takes the title and summary of every story whose articles are as they were from the live build, and of no other", async () => {
    const offered: string[] = [];
    let stories: { key: string; paths: string[] }[] = [];
    const watching: typeof buildDigestFromAnalyses = (analyses, options) => {
      offered.push(...(options.previousText?.keys() ?? []));
      const digest = buildDigestFromAnalyses(analyses, options);
      stories = digest.stories.map((story) => ({ key: storyTextKey(story.articles), paths: story.articles.map((a) => a.path).sort() }));
      return digest;
    };
    await publishFresh(SEEDS);
    await putArticles({ "wire/quake-a.txt": EVENTS["wire/quake-a.txt"], "wire/budget.txt": EVENTS["wire/budget.txt"] });
    expect((await rebuild(env, { build: watching })).status).toBe("published");
    const before = stories;
    offered.length = 0;
    // A second report joins the quake story; the seed and budget stories stay as they were.
    await putArticles({ "daily/quake-b.txt": EVENTS["daily/quake-b.txt"] });
    expect((await rebuild(env, { build: watching })).status).toBe("published");
    const unchanged = stories.filter((story) => before.some((b) => b.key === story.key));
    expect(unchanged.map((story) => story.paths.length).sort()).toEqual([1, 5]);
    for (const story of unchanged) expect(offered, story.paths.join(",")).toContain(story.key);
    const quake = stories.find((story) => story.paths.includes("daily/quake-b.txt"))!;
    expect(quake.paths).toEqual(["daily/quake-b.txt", "wire/quake-a.txt"]);
    expect(offered).not.toContain(quake.key);
  });
});

describe("catching up after the article index is lost", () => {
  it("keeps the live digest while objects it shows are re-read in batches, then publishes what a full rebuild publishes", async () => {
    await publishFresh({ ...SEEDS, ...EVENTS });
    const live = await liveOutputs();
    const pointer = await readPointer(env.DIGEST);

    // The index is lost and an article the live digest shows is edited: ten stale objects.
    await dropIndex();
    await putArticles({ "wire/ferry-a.txt": FERRY_EDIT });
    const pendingAfterRun: number[] = [];
    for (let run = 0; run < 10; run++) {
      const result = await rebuild(env, { readBatch: 3 });
      if (result.status !== "catching-up") {
        expect(result.status).toBe("published");
        break;
      }
      expect(await readPointer(env.DIGEST), `run ${run + 1}: the live build stays`).toBe(pointer);
      expect(await liveOutputs()).toEqual(live);
      pendingAfterRun.push(((await (await get("/healthz")).json()) as { pending: number }).pending);
    }
    expect(pendingAfterRun).toEqual([7, 4, 1]);
    const caughtUp = await liveOutputs();
    expect(caughtUp).not.toEqual(live);
    expect(((await (await get("/healthz")).json()) as { pending: number }).pending).toBe(0);

    await dropIndex();
    expect((await rebuild(env, { force: true })).status).toBe("published");
    expect(await liveOutputs(), "caught up == full").toEqual(caughtUp);
  });

  it("still publishes batch by batch when new objects arrive and everything live is current", async () => {
    await publishFresh(SEEDS);
    await putArticles(EVENTS);
    const first = await rebuild(env, { readBatch: 3 });
    expect(first.status).toBe("published");
    expect(first.record?.pending).toBe(2);
    const second = await rebuild(env, { readBatch: 3 });
    expect(second.status).toBe("published");
    expect(second.record?.pending).toBe(0);
  });
});

describe("the article index's layout", () => {
  it("spreads over more shards as it outgrows one, keeping every analysis and no old shard", async () => {
    await publishFresh({ ...SEEDS, ...EVENTS });
    const one = await readIndex(env.DIGEST);
    expect(one.shards, "a small corpus's index is one shard").toBe(1);
    expect(await kvKeys("index/")).toEqual([`index/v${ANALYSIS_VERSION}/1/0`]);
    const analysed = [...one.entries.keys()].sort();

    // Shard sizes a few articles fill, so the next write must re-lay the index out.
    const tiny = { targetBytes: 4_000, splitBytes: 8_000 };
    await writeIndex(env.DIGEST, one, ["wire/budget.txt"], tiny);
    const spread = await readIndex(env.DIGEST);
    expect(spread.shards).toBeGreaterThan(1);
    expect([...spread.entries.keys()].sort()).toEqual(analysed);
    expect(JSON.stringify([...spread.entries.values()].sort((a, b) => (a.key < b.key ? -1 : 1)))).toBe(
      JSON.stringify([...one.entries.values()].sort((a, b) => (a.key < b.key ? -1 : 1))),
    );
    const shardKeys = (await kvKeys("index/")).filter((key) => !key.endsWith("/head"));
    expect(shardKeys, "only the new layout's shards are left").toHaveLength(spread.shards);

    // A rebuild over the re-laid index reads nothing again and publishes what it published.
    const before = await liveOutputs();
    const { bucket, reads } = countingCorpus();
    expect((await rebuild({ ...env, CORPUS: bucket }, { force: true })).status).toBe("published");
    expect(reads).toEqual([]);
    expect(await liveOutputs()).toEqual(before);
  });

  it("a rebuild after adding one article reads the index head and its one shard, beside pointer, live digest.json and the collector's index", async () => {
    await publishFresh(SEEDS);
    const liveDigest = (await liveManifest()).files["digest.json"].blob;
    await putArticles({ "wire/budget.txt": EVENTS["wire/budget.txt"] });
    const kv = instrument(env.DIGEST, ["get"]);
    expect((await rebuild({ ...env, DIGEST: kv.binding })).status).toBe("published");
    // Manifests never change, so this isolate may serve them from its cache: not counted here.
    const reads = (kv.keys.get as string[]).filter((key) => !key.startsWith("build/")).sort();
    expect(reads).toEqual([BUILD_INDEX_KEY, liveDigest, `index/v${ANALYSIS_VERSION}/1/0`, `index/v${ANALYSIS_VERSION}/head`, "pointer"].sort());
  });
});

describe("objects that are not articles", () => {
  it("are rejected by their name without being downloaded", async () => {
    await clearStorage();
    await putArticles({ ...SEEDS, "assets/photo.jpg": new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), "notes/readme.html": "<p>not news</p>" });
    const { bucket, reads } = countingCorpus();
    expect((await rebuild({ ...env, CORPUS: bucket })).status).toBe("published");
    expect(reads.sort()).toEqual(Object.keys(SEEDS).sort());
    const digest = (await (await get("/digest.json")).json()) as { rejected: { path: string; reason: string }[] };
    expect(digest.rejected.map((r) => r.path).sort()).toEqual(["assets/photo.jpg", "notes/readme.html"]);
    for (const rejection of digest.rejected) expect(rejection.reason).toMatch(/not an article/);
  });
});

describe("a corpus larger than DIGEST_MAX_ARTICLES", () => {
  // R2 upload times have whole seconds: a pause puts the next uploads in a later second.
  const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));
  const coveredPaths = async (): Promise<string[]> => {
    const digest = JSON.parse((await readBlob(env.DIGEST, (await liveManifest()).files["digest.json"]))!) as { stories: { articles: { path: string }[] }[] };
    return digest.stories.flatMap((story) => story.articles.map((a) => a.path)).sort();
  };
  const health = async () => (await (await get("/healthz")).json()) as { leftOut: number; lastError: { message: string } | null };
  const seedPaths = Object.keys(SEEDS).sort();

  it("covers the newest objects only, keeps no analysis of the rest, and stays what a full rebuild of that part publishes", async () => {
    const capped = { ...env, DIGEST_MAX_ARTICLES: "4" };
    await clearStorage();
    await putArticles(SEEDS);
    await nextSecond();
    await putArticles({ "wire/quake-a.txt": EVENTS["wire/quake-a.txt"], "daily/quake-b.txt": EVENTS["daily/quake-b.txt"] });
    expect((await rebuild(capped)).status).toBe("published");
    // The two newest, and of the five seeds uploaded in one second the first two by path.
    expect(await coveredPaths()).toEqual(["daily/quake-b.txt", "wire/quake-a.txt", ...seedPaths.slice(0, 2)].sort());
    expect((await health()).leftOut).toBe(3);
    expect([...(await readIndex(env.DIGEST)).entries.keys()].sort()).toEqual(["daily/quake-b.txt", "wire/quake-a.txt", ...seedPaths.slice(0, 2)].sort());

    // A newer article pushes the oldest covered one out: only the new one is read.
    await nextSecond();
    await putArticles({ "wire/ferry-a.txt": EVENTS["wire/ferry-a.txt"] });
    const { bucket, reads } = countingCorpus();
    expect((await rebuild({ ...capped, CORPUS: bucket })).status).toBe("published");
    expect(reads).toEqual(["wire/ferry-a.txt"]);
    const covered = ["daily/quake-b.txt", "wire/ferry-a.txt", "wire/quake-a.txt", seedPaths[0]].sort();
    expect(await coveredPaths()).toEqual(covered);
    expect((await health()).leftOut).toBe(4);
    expect([...(await readIndex(env.DIGEST)).entries.keys()].sort(), "the index holds the covered objects only").toEqual(covered);
    const incremental = await liveOutputs();

    const { bucket: unchangedBucket, reads: unchangedReads } = countingCorpus();
    expect((await rebuild({ ...capped, CORPUS: unchangedBucket })).status).toBe("unchanged");
    expect(unchangedReads).toEqual([]);

    await dropIndex();
    const full = countingCorpus();
    const fromScratch: typeof buildDigestFromAnalyses = (analyses, options) => buildDigestFromAnalyses(analyses, { ...options, previousText: undefined });
    expect((await rebuild({ ...capped, CORPUS: full.bucket }, { force: true, build: fromScratch })).status).toBe("published");
    expect(full.reads.sort(), "a full rebuild reads the covered objects only").toEqual(covered);
    expect(await liveOutputs(), "incremental == full").toEqual(incremental);

    // Raising the limit brings the older objects back.
    expect((await rebuild(env)).status).toBe("published");
    expect(await coveredPaths()).toEqual([...covered, ...seedPaths.slice(1)].sort());
    expect((await health()).leftOut).toBe(0);
  });

  it("a DIGEST_MAX_ARTICLES that is not a number fails the rebuild with the reason, and the live digest stays", async () => {
    await publishFresh(SEEDS);
    await putArticles({ "wire/budget.txt": EVENTS["wire/budget.txt"] });
    const live = await liveOutputs();
    const pointer = await readPointer(env.DIGEST);
    const result = await rebuild({ ...env, DIGEST_MAX_ARTICLES: "10k" });
    expect(result.status).toBe("failed");
    expect(result.status === "failed" && result.error).toMatch(/DIGEST_MAX_ARTICLES must be a whole number of at least 1, not "10k"/);
    expect(await readPointer(env.DIGEST)).toBe(pointer);
    expect(await liveOutputs()).toEqual(live);
    expect((await health()).lastError?.message).toMatch(/DIGEST_MAX_ARTICLES/);
  });
});
