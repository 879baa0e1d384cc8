// Published digests in KV. Outputs are stored content-addressed (`blob/<etag>`), each build
// as an immutable manifest (`build/<id>`: path → etag, type), and one pointer key names the
// live build. A reader follows pointer → manifest → blob, so it sees a whole build or the
// previous one, never half of one; unchanged outputs are not written again.
//
// Old builds are deleted by a garbage collector that runs after each publish. KV is eventually
// consistent, so a reader may follow a pointer that is a minute or so out of date: a build is
// deleted only once it is neither among the newest few nor replaced less than an hour ago, and
// a blob only when no kept build uses it. A `builds` index key remembers the builds and the keys
// still to delete, so the collector reads that key and a few manifests (the retired builds', and
// kept ones not already at hand) rather than listing KV, and each publish deletes a bounded
// number of keys.
import { hash64 } from "../pipeline/text";
import type { OperationBudget } from "./budget";
import { BoundedTasks } from "./concurrency";

export interface ManifestEntry {
  etag: string;
  contentType: string;
  /** Blob key holding the bytes. */
  blob: string;
}

export interface BuildRecord {
  buildId: string;
  fingerprint: string;
  /** Build time printed in feeds and Last-Modified (the corpus's last change). */
  generatedAt: string;
  /** Wall-clock time the build ran. */
  builtAt: string;
  stories: number;
  articles: number;
  duplicates: number;
  rejected: { path: string; reason: string }[];
  /** Corpus objects listed but not yet analysed (taken in later runs); absent in older records. */
  pending?: number;
  /** Corpus objects older than the newest DIGEST_MAX_ARTICLES, which the build leaves out; absent in older records. */
  leftOut?: number;
  /** STORY_TEXT_VERSION of the code that wrote the build's titles and summaries; absent in older records. */
  textVersion?: string;
}

export interface Manifest {
  record: BuildRecord;
  files: Record<string, ManifestEntry>;
}

export interface Status {
  current: BuildRecord | null;
  lastError: { at: string; message: string } | null;
  lastCheck: string | null;
  /** A newer build too large to publish in one run, while its outputs are written run by run. */
  publishing?: Staging | null;
}

const POINTER_KEY = "pointer";
const STATUS_KEY = "status";
/** The garbage collector's record of builds and of keys it still has to delete. */
export const BUILD_INDEX_KEY = "builds";

/** Builds kept whatever their age: the live one and the two before it, to roll back to or compare. */
export const KEEP_BUILDS = 3;
/**
 * How long a replaced build stays readable. KV needs up to about a minute to show the new pointer
 * everywhere and readers cache what they read, so an hour leaves a wide margin.
 */
export const RETIRE_AFTER_MS = 60 * 60 * 1000;
/** Keys deleted per publish at most; the rest wait for the next one. */
export const MAX_GC_DELETES = 200;
/** Manifests the collector reads from KV per publish at most (kept builds' and retired ones'). */
const MAX_GC_READS = 20;
/** Operations that switch readers to a new build once its blobs are stored: manifest and pointer. */
const SWITCH_OPERATIONS = 2;
/**
 * Operations after the switch: the collector's listing of old builds, its manifest reads and
 * its index write, and the caller's status write. Blob writes get what the run's budget has
 * left beyond these and the switch; deletions get what remains after the switch.
 */
const CLEANUP_OPERATIONS = 3 + MAX_GC_READS;

/** An error's message, for logs and /healthz. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The collector's index before any publish recorded one: builds published earlier are found by listing. */
function newIndex(): BuildIndex {
  return { builds: [], pending: [], adoptCursor: "" };
}

/** Strong ETag from the bytes, computed at build time. */
export function etagOf(body: string): string {
  return `"${hash64(body)}${hash64(body.length + ":" + body.slice(-4096))}"`;
}

export async function readPointer(kv: KVNamespace): Promise<string | null> {
  return kv.get(POINTER_KEY, "text");
}

// Manifests never change once written, so an isolate can keep the ones it read or wrote last.
const manifestCache = new Map<string, Manifest>();
/**
 * Manifests an isolate keeps. A cron isolate publishes again and again (each manifest lists
 * every output: about 1,250 entries at 10,000 articles), so the cache must stay bounded there
 * too; the live build and the one before it are what readers and the next publish use.
 */
const MANIFEST_CACHE_SIZE = 8;

function cacheManifest(buildId: string, manifest: Manifest): void {
  manifestCache.delete(buildId);
  manifestCache.set(buildId, manifest);
  // A Map iterates in insertion order: the first key is the one cached longest ago.
  if (manifestCache.size > MANIFEST_CACHE_SIZE) manifestCache.delete(manifestCache.keys().next().value!);
}

export async function readManifest(kv: KVNamespace, buildId: string): Promise<Manifest | null> {
  const cached = manifestCache.get(buildId);
  if (cached) return cached;
  const manifest = await kv.get<Manifest>(`build/${buildId}`, "json");
  if (manifest) cacheManifest(buildId, manifest);
  return manifest;
}

export async function readBlob(kv: KVNamespace, entry: ManifestEntry): Promise<string | null> {
  return kv.get(entry.blob, "text");
}

/** A blob's bytes as stored, for a response body: no decoding to text and encoding back per request. */
export async function readBlobBytes(kv: KVNamespace, entry: ManifestEntry): Promise<ArrayBuffer | null> {
  return kv.get(entry.blob, "arrayBuffer");
}

export async function readStatus(kv: KVNamespace): Promise<Status> {
  return (await kv.get<Status>(STATUS_KEY, "json")) ?? { current: null, lastError: null, lastCheck: null };
}

export async function writeStatus(kv: KVNamespace, status: Status): Promise<void> {
  await kv.put(STATUS_KEY, JSON.stringify(status));
}

export interface OutputFile {
  path: string;
  body: string;
  contentType: string;
}

/** How far a publish too large for one run has got: outputs of the next build stored so far, of how many. */
export interface Staging {
  written: number;
  outputs: number;
}

/**
 * Publish a build: write the blobs the previous build does not already have, then the
 * manifest, then switch the pointer. Until the pointer moves, readers see the previous build.
 * Then delete old builds (collectGarbage); that is best effort and never fails the publish.
 *
 * When the new blobs do not all fit in what `budget` has left, as many as fit are written and
 * remembered in the build index (`staged`), and the pointer stays: the next run, building the
 * same outputs from the same corpus, writes only the rest. Blobs are content-addressed, so a
 * staged blob is never wrong, only possibly unused; those the published build does not use
 * are deleted with the next publish's garbage.
 */
export async function publishBuild(
  kv: KVNamespace,
  record: Omit<BuildRecord, "buildId">,
  outputs: Iterable<OutputFile>,
  previous: Manifest | null,
  budget: OperationBudget,
): Promise<{ manifest: Manifest } | { staging: Staging }> {
  // Unreadable, the build index stops only what needs it: staging (whose blobs it records) and
  // this publish's garbage collection.
  let index: BuildIndex | null = null;
  let indexError: unknown = null;
  try {
    index = parseIndex(await kv.get(BUILD_INDEX_KEY, "text"));
  } catch (error) {
    indexError = error;
  }
  const staged = new Set(index?.staged ?? []);
  const existing = new Set(Object.values(previous?.files ?? {}).map((entry) => entry.blob));
  const room = budget.remaining - SWITCH_OPERATIONS - CLEANUP_OPERATIONS;
  // One pass, each body hashed and, when this run writes it, written there and then, a few at
  // a time (BoundedTasks): a site's files (every story page holds its sources' text) are as
  // large as the corpus, and holding the run's new ones until the pass ended is what ran a
  // rebuild of 7,500 articles out of a 128 MB heap.
  const entries: [string, ManifestEntry][] = [];
  const fresh = new Set<string>();
  let toWrite = 0;
  const written: string[] = [];
  // With the build index unreadable, blobs written during the pass could not be recorded as
  // staged should the build prove too large for one run, and nothing would ever delete them:
  // then this run's new bodies wait for the end of the pass, as they all once did.
  const held = indexError ? new Map<string, string>() : null;
  const writes = new BoundedTasks();
  for (const output of outputs) {
    const etag = etagOf(output.body);
    const blob = `blob/${etag.replace(/"/g, "")}`;
    entries.push([output.path, { etag, contentType: output.contentType, blob }]);
    if (existing.has(blob) || fresh.has(blob)) continue;
    fresh.add(blob);
    if (staged.has(blob)) continue;
    toWrite++;
    if (written.length < room) {
      written.push(blob);
      if (held) held.set(blob, output.body);
      else await writes.add(() => kv.put(blob, output.body));
    }
  }
  await writes.done();
  const files: Record<string, ManifestEntry> = Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
  if (toWrite > room) {
    if (indexError) throw new Error(`this build needs ${toWrite} new outputs, more than one run may write, and its progress cannot be recorded: ${messageOf(indexError)}`);
    for (const blob of written) staged.add(blob);
    const next: BuildIndex = { ...(index ?? newIndex()), staged: [...staged] };
    await kv.put(BUILD_INDEX_KEY, JSON.stringify(next));
    return { staging: { written: fresh.size - toWrite + written.length, outputs: fresh.size } };
  }
  for (const [blob, body] of held ?? []) await writes.add(() => kv.put(blob, body));
  await writes.done();
  const buildId = hash64(record.fingerprint + JSON.stringify(files)).slice(0, 12);
  const manifest: Manifest = { record: { ...record, buildId }, files };
  await kv.put(`build/${buildId}`, JSON.stringify(manifest));
  await kv.put(POINTER_KEY, buildId);
  cacheManifest(buildId, manifest);
  // The collector's own reads and index write, and the caller's status write, come first.
  const deleteBudget = Math.min(MAX_GC_DELETES, budget.remaining - CLEANUP_OPERATIONS);
  try {
    if (indexError) throw indexError;
    await collectGarbage(kv, index, manifest, previous, deleteBudget);
  } catch (error) {
    // The new build is live already; old builds simply stay until a later publish deletes them.
    console.warn("garbage collection of old builds failed; it will be retried at the next publish:", messageOf(error));
  }
  return { manifest };
}

interface IndexedBuild {
  buildId: string;
  /** When the build that replaced it as live ran; absent for the live build. */
  replacedAt?: string;
}

interface BuildIndex {
  /** Builds not yet retired, newest first; the live build is first. */
  builds: IndexedBuild[];
  /** Keys of retired builds still to delete: each build's blobs, then its manifest. */
  pending: string[];
  /** Blobs written for a build whose publish did not fit in one run, not yet in any manifest. */
  staged?: string[];
  /**
   * Set while builds published before the index existed are still being listed, so they are
   * collected too: "" to start the listing, else the KV list cursor to continue from.
   */
  adoptCursor?: string;
}

function parseIndex(text: string | null): BuildIndex | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<BuildIndex>;
    if (!Array.isArray(value.builds) || !Array.isArray(value.pending)) return null;
    const builds = value.builds.filter((entry): entry is IndexedBuild => typeof entry?.buildId === "string");
    const keys = (list: unknown): string[] => (Array.isArray(list) ? list.filter((key): key is string => typeof key === "string") : []);
    const staged = keys(value.staged);
    return {
      builds,
      pending: keys(value.pending),
      ...(staged.length ? { staged } : {}),
      ...(typeof value.adoptCursor === "string" ? { adoptCursor: value.adoptCursor } : {}),
    };
  } catch {
    return null;
  }
}

/**
 * Delete builds that no reader can still be following, and the blobs only they used. `live` is
 * the build just published; `previous` the one live until now. Time is the live build's builtAt,
 * not the clock, so a build is retired the same way whenever the collector runs.
 *
 * Safety rests on one check made just before deleting: no key a kept build uses (its manifest or
 * any of its blobs) is deleted, whatever the index says. When a kept build's manifest cannot be
 * read, nothing is deleted this time.
 */
async function collectGarbage(kv: KVNamespace, stored: BuildIndex | null, live: Manifest, previous: Manifest | null, deleteBudget: number): Promise<void> {
  const now = live.record.builtAt;
  const nowMs = Date.parse(now);
  const liveId = live.record.buildId;
  const previousId = previous?.record.buildId;
  // No index yet (or an unreadable one): the builds already in KV are found by listing them below.
  const index = stored ?? newIndex();

  // The live build first, then the one it replaced (live until now, whatever the index said),
  // then the rest; every build but the live one has been replaced, the newly replaced ones now.
  const builds: IndexedBuild[] = [];
  const listed = new Set<string>();
  const add = (entry: IndexedBuild) => {
    if (listed.has(entry.buildId)) return;
    listed.add(entry.buildId);
    builds.push(entry.buildId === liveId || entry.replacedAt ? entry : { ...entry, replacedAt: now });
  };
  add({ buildId: liveId });
  if (previous) add({ buildId: previous.record.buildId, replacedAt: now });
  for (const entry of index.builds) add(entry);

  let adoptCursor = index.adoptCursor;
  if (adoptCursor !== undefined) {
    // Builds published before the collector existed: their order is unknown, so each is treated as
    // replaced just now and kept for the full grace period.
    const page = await kv.list({ prefix: "build/", cursor: adoptCursor || undefined });
    for (const key of page.keys) add({ buildId: key.name.slice("build/".length), replacedAt: now });
    adoptCursor = page.list_complete ? undefined : page.cursor;
  }

  // A build is kept while it is among the newest KEEP_BUILDS or was replaced less than
  // RETIRE_AFTER_MS ago; an unreadable date counts as recent, so the doubt keeps the build.
  const isRetired = (entry: IndexedBuild, position: number) =>
    position >= KEEP_BUILDS && entry.replacedAt !== undefined && nowMs - Date.parse(entry.replacedAt) >= RETIRE_AFTER_MS;
  const kept = builds.filter((entry, position) => !isRetired(entry, position));
  const retired = builds.filter((entry, position) => isRetired(entry, position));
  // Staged blobs the live build does not use were for a build that never went live.
  const used = new Set(Object.values(live.files).map((file) => file.blob));
  let pending = [...index.pending, ...(index.staged ?? []).filter((blob) => !used.has(blob))];
  const remaining = [...kept];

  if (retired.length > 0 || pending.length > 0) {
    let reads = 0;
    const load = async (buildId: string): Promise<Manifest | null | "over budget"> => {
      if (buildId === liveId) return live;
      if (buildId === previousId && previous) return previous;
      const cached = manifestCache.get(buildId);
      if (cached) return cached;
      if (++reads > MAX_GC_READS) return "over budget";
      // Read past the cache: old builds would push out the live manifest readers need.
      return kv.get<Manifest>(`build/${buildId}`, "json");
    };

    // Everything the kept builds use. Unknown for one of them means nothing may be deleted.
    const protectedKeys = new Set<string>();
    let known = true;
    for (const entry of kept) {
      const manifest = await load(entry.buildId);
      if (manifest === null || manifest === "over budget") {
        known = false;
        break;
      }
      protectedKeys.add(`build/${entry.buildId}`);
      for (const file of Object.values(manifest.files)) protectedKeys.add(file.blob);
    }

    if (known) {
      // A key queued earlier may be in use again (a build republished with the same outputs).
      pending = pending.filter((key) => !protectedKeys.has(key));
      // Oldest first; a build leaves the index once its keys are queued. A manifest is deleted after
      // its blobs, so a collection cut short leaves a manifest from which to find them again.
      const queued = new Set(pending);
      for (let i = retired.length - 1; i >= 0; i--) {
        const entry = retired[i];
        const manifest = pending.length < deleteBudget ? await load(entry.buildId) : "over budget";
        if (manifest === "over budget") {
          // This build and the newer retired ones wait in the index for the next publish.
          remaining.push(...retired.slice(0, i + 1));
          break;
        }
        // A manifest that is already gone was deleted with its blobs by an earlier collection.
        if (!manifest) continue;
        for (const file of Object.values(manifest.files)) {
          if (!protectedKeys.has(file.blob) && !queued.has(file.blob)) {
            queued.add(file.blob);
            pending.push(file.blob);
          }
        }
        pending.push(`build/${entry.buildId}`);
      }

      const batch = pending.slice(0, Math.max(0, deleteBudget));
      const results = await Promise.allSettled(batch.map(async (key) => kv.delete(key)));
      const failed = batch.filter((_, i) => results[i].status === "rejected");
      for (const [i, key] of batch.entries()) {
        if (results[i].status === "fulfilled" && key.startsWith("build/")) manifestCache.delete(key.slice("build/".length));
      }
      if (failed.length > 0) {
        const reason = (results.find((result) => result.status === "rejected") as PromiseRejectedResult).reason;
        console.warn(`could not delete ${failed.length} old build keys; they will be retried:`, messageOf(reason));
      }
      // Failed keys go last, so one key that keeps failing does not hold up the others.
      pending = [...pending.slice(batch.length), ...failed];
    } else {
      remaining.push(...retired);
    }
  }

  // Newest first; retired builds not handled this time keep their place at the end.
  const order = new Map(builds.map((entry, position) => [entry.buildId, position]));
  remaining.sort((a, b) => order.get(a.buildId)! - order.get(b.buildId)!);
  const next: BuildIndex = { builds: remaining, pending, ...(adoptCursor !== undefined ? { adoptCursor } : {}) };
  await kv.put(BUILD_INDEX_KEY, JSON.stringify(next));
}
