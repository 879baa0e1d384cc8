// The rebuild the cron and the first request run: list the corpus, do nothing when its
// fingerprint matches the live build, else build, check, publish and record. Any failure
// is recorded for /healthz and leaves the live build as it was.
import { siteMeta, type SiteVars } from "./config";
import { buildDigest } from "./pipeline/build";
import type { CorpusFile, Digest } from "./pipeline/types";
import { renderSite } from "./render/index";
import { fingerprintOf, lastChanged, listCorpus, readCorpus } from "./storage/corpus";
import { publishBuild, readBlob, readManifest, readPointer, readStatus, writeStatus, type BuildRecord, type Manifest } from "./storage/published";
import { toRfc3339 } from "./pipeline/dates";

export interface RebuildBindings extends SiteVars {
  CORPUS: R2Bucket;
  DIGEST: KVNamespace;
}

export interface RebuildOptions {
  /** Build even when the corpus fingerprint matches the live build. */
  force?: boolean;
  /** Publish even when the build drops most of the live build's stories (an operator's decision). */
  allowShrink?: boolean;
  /** Replaceable pipeline, so tests can inject a failing stage. */
  build?: (files: CorpusFile[], options: Parameters<typeof buildDigest>[1]) => Digest;
}

export type RebuildResult =
  | { status: "unchanged"; record: BuildRecord }
  | { status: "published"; record: BuildRecord }
  | { status: "failed"; error: string; record: BuildRecord | null };

/** Article id → story id of a published build, read from its digest.json. */
async function storyIdsOf(kv: KVNamespace, manifest: Manifest): Promise<Record<string, string>> {
  const entry = manifest.files["digest.json"];
  const text = entry ? await readBlob(kv, entry) : null;
  if (!text) return {};
  const ids: Record<string, string> = {};
  const published = JSON.parse(text) as { stories: { id: string; articles: { id: string }[] }[] };
  for (const story of published.stories) for (const article of story.articles) ids[article.id] = story.id;
  return ids;
}

/**
 * Publish guard: a build that loses most of the live build's stories is far more often a
 * listing or read fault than a real purge, so the cron holds it back; an operator can
 * publish it with `allowShrink` (POST /admin/rebuild?allowShrink=1).
 */
function checkShrink(previous: Manifest | null, digest: Digest, allowShrink: boolean): void {
  if (!previous || allowShrink) return;
  const before = previous.record.stories;
  const after = digest.stats.stories;
  if (before >= 4 && after < before / 2) {
    throw new Error(
      `publish guard: this build has ${after} stories where the live one has ${before}; kept the live digest. ` +
        "If the corpus really shrank, rebuild with allowShrink.",
    );
  }
}

export async function rebuild(env: RebuildBindings, options: RebuildOptions = {}): Promise<RebuildResult> {
  const now = toRfc3339(new Date());
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
    if (files.length < entries.length * 0.9) {
      throw new Error(`could read only ${files.length} of ${entries.length} corpus objects; not publishing a partial digest`);
    }
    const build = options.build ?? buildDigest;
    const previousStoryIds = previous ? await storyIdsOf(env.DIGEST, previous) : {};
    const digest = build(files, { meta: siteMeta(env), generatedAt: lastChanged(entries), fingerprint, previousStoryIds });
    checkShrink(previous, digest, options.allowShrink === true);
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
      // Read the status only now: an unchanged corpus costs no KV read beyond pointer and manifest.
      const status = await readStatus(env.DIGEST);
      await writeStatus(env.DIGEST, { ...status, current: previous?.record ?? status.current, lastError: { at: now, message }, lastCheck: now });
    } catch {
      // Recording the failure failed too; the live build is untouched either way.
    }
    return { status: "failed", error: message, record: previous?.record ?? null };
  }
}
