// The rebuild the cron and the first request run: list the corpus, do nothing when its
// fingerprint matches the live build, else build, check, publish and record. Any failure
// is recorded for /healthz and leaves the live build as it was.
import { siteMeta, type SiteVars } from "./config";
import { buildDigest } from "./pipeline/build";
import type { CorpusFile, Digest } from "./pipeline/types";
import { renderSite } from "./render/index";
import { fingerprintOf, lastChanged, listCorpus, readCorpus } from "./storage/corpus";
import { publishBuild, readManifest, readPointer, readStatus, writeStatus, type BuildRecord, type Manifest } from "./storage/published";
import { toRfc3339 } from "./pipeline/dates";

export interface RebuildBindings extends SiteVars {
  CORPUS: R2Bucket;
  DIGEST: KVNamespace;
}

export interface RebuildOptions {
  /** Build even when the corpus fingerprint matches the live build. */
  force?: boolean;
  /** Replaceable pipeline, so tests can inject a failing stage. */
  build?: (files: CorpusFile[], options: Parameters<typeof buildDigest>[1]) => Digest;
}

export type RebuildResult =
  | { status: "unchanged"; record: BuildRecord }
  | { status: "published"; record: BuildRecord }
  | { status: "failed"; error: string; record: BuildRecord | null };

export async function rebuild(env: RebuildBindings, options: RebuildOptions = {}): Promise<RebuildResult> {
  const now = toRfc3339(new Date());
  const status = await readStatus(env.DIGEST);
  let previous: Manifest | null = null;
  try {
    const pointer = await readPointer(env.DIGEST);
    previous = pointer ? await readManifest(env.DIGEST, pointer) : null;
    const entries = await listCorpus(env.CORPUS);
    const fingerprint = fingerprintOf(entries);
    if (previous && previous.record.fingerprint === fingerprint && !options.force) {
      return { status: "unchanged", record: previous.record };
    }
    const files = await readCorpus(env.CORPUS, entries);
    const build = options.build ?? buildDigest;
    const digest = build(files, { meta: siteMeta(env), generatedAt: lastChanged(entries), fingerprint });
    const outputs = renderSite(digest);
    const manifest = await publishBuild(
      env.DIGEST,
      {
        fingerprint,
        generatedAt: digest.generatedAt,
        builtAt: now,
        stories: digest.stats.stories,
        articles: digest.stats.articles,
        duplicates: digest.stats.duplicates,
        rejected: digest.rejected,
      },
      outputs,
      previous,
    );
    await writeStatus(env.DIGEST, { current: manifest.record, lastError: null, lastCheck: now });
    return { status: "published", record: manifest.record };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error("rebuild failed; the previous digest stays online:", message);
    try {
      await writeStatus(env.DIGEST, { ...status, current: previous?.record ?? status.current, lastError: { at: now, message }, lastCheck: now });
    } catch {
      // Recording the failure failed too; the live build is untouched either way.
    }
    return { status: "failed", error: message, record: previous?.record ?? null };
  }
}
