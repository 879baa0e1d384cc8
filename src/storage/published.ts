// Published digests in KV. Outputs are stored content-addressed (`blob/<etag>`), each build
// as an immutable manifest (`build/<id>`: path → etag, type), and one pointer key names the
// live build. A reader follows pointer → manifest → blob, so it sees a whole build or the
// previous one, never half of one; unchanged outputs are not written again.
import { hash64 } from "../pipeline/text";

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
}

export interface Manifest {
  record: BuildRecord;
  files: Record<string, ManifestEntry>;
}

export interface Status {
  current: BuildRecord | null;
  lastError: { at: string; message: string } | null;
  lastCheck: string | null;
}

const POINTER_KEY = "pointer";
const STATUS_KEY = "status";

/** Strong ETag from the bytes, computed at build time. */
export function etagOf(body: string): string {
  return `"${hash64(body)}${hash64(body.length + ":" + body.slice(-4096))}"`;
}

export async function readPointer(kv: KVNamespace): Promise<string | null> {
  return kv.get(POINTER_KEY, "text");
}

// Manifests never change once written, so an isolate can keep the ones it has read.
const manifestCache = new Map<string, Manifest>();

export async function readManifest(kv: KVNamespace, buildId: string): Promise<Manifest | null> {
  const cached = manifestCache.get(buildId);
  if (cached) return cached;
  const manifest = await kv.get<Manifest>(`build/${buildId}`, "json");
  if (manifest) {
    if (manifestCache.size > 8) manifestCache.clear();
    manifestCache.set(buildId, manifest);
  }
  return manifest;
}

export async function readBlob(kv: KVNamespace, entry: ManifestEntry): Promise<string | null> {
  return kv.get(entry.blob, "text");
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

/**
 * Publish a build: write the blobs the previous build does not already have, then the
 * manifest, then switch the pointer. Until the pointer moves, readers see the previous build.
 */
export async function publishBuild(
  kv: KVNamespace,
  record: Omit<BuildRecord, "buildId">,
  outputs: OutputFile[],
  previous: Manifest | null,
): Promise<Manifest> {
  const files: Record<string, ManifestEntry> = {};
  const existing = new Set(Object.values(previous?.files ?? {}).map((entry) => entry.blob));
  const writes: Promise<void>[] = [];
  for (const output of [...outputs].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const etag = etagOf(output.body);
    const blob = `blob/${etag.replace(/"/g, "")}`;
    files[output.path] = { etag, contentType: output.contentType, blob };
    if (!existing.has(blob)) {
      existing.add(blob);
      writes.push(kv.put(blob, output.body));
    }
  }
  await Promise.all(writes);
  const buildId = hash64(record.fingerprint + JSON.stringify(files)).slice(0, 12);
  const manifest: Manifest = { record: { ...record, buildId }, files };
  await kv.put(`build/${buildId}`, JSON.stringify(manifest));
  await kv.put(POINTER_KEY, buildId);
  manifestCache.set(buildId, manifest);
  return manifest;
}
