// digest.json, contract v1: the digest as data for other programs. Fields listed in the contract
// are always present; `url`, `entered`, `contentHash`, `meta` and `stats` are additions (allowed by the contract).
import type { SiteModel } from "./model";

export const DIGEST_JSON_VERSION = 1;

export function renderDigestJson(site: SiteModel): string {
  const { digest } = site;
  const out = {
    version: DIGEST_JSON_VERSION,
    generatedAt: digest.generatedAt,
    fingerprint: digest.fingerprint,
    meta: {
      title: digest.meta.title,
      description: digest.meta.description,
      siteUrl: site.base,
      language: digest.meta.language,
    },
    stories: site.stories.map((s) => ({
      id: s.story.id,
      title: s.story.title,
      url: s.url,
      published: s.story.published,
      updated: s.story.updated,
      summary: s.story.summary.map((sentence) => ({ text: sentence.text, articles: [...sentence.articles] })),
      articles: s.sources.map((src) => ({
        id: src.article.id,
        path: src.article.path,
        title: src.article.title,
        source: src.article.source,
        published: src.article.published,
        duplicateOf: src.article.duplicateOf,
        url: src.url,
        entered: src.article.entered,
        contentHash: src.article.contentHash,
      })),
    })),
    rejected: digest.rejected.map((r) => ({ path: r.path, reason: r.reason })),
    stats: { ...digest.stats },
  };
  return JSON.stringify(out, null, 2) + "\n";
}
