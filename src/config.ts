// Site settings from `[vars]` (Worker) or flags (CLI), with the same defaults for both.
import { DEFAULT_MAX_ARTICLES } from "./pipeline/build";
import type { DigestMeta } from "./pipeline/types";

export interface SiteVars {
  SITE_URL?: string;
  DIGEST_TITLE?: string;
  DIGEST_DESCRIPTION?: string;
  DIGEST_LANGUAGE?: string;
  CRON_PERIOD_MINUTES?: string;
  /** How many of the newest corpus objects the digest covers (default DEFAULT_MAX_ARTICLES). */
  DIGEST_MAX_ARTICLES?: string;
}

export const DEFAULT_SITE_URL = "http://localhost:8787";

export function siteMeta(vars: SiteVars): DigestMeta {
  const period = Number.parseInt(vars.CRON_PERIOD_MINUTES ?? "", 10);
  return {
    siteUrl: (vars.SITE_URL || DEFAULT_SITE_URL).replace(/\/+$/, ""),
    title: vars.DIGEST_TITLE || "News Digest",
    description: vars.DIGEST_DESCRIPTION || "Today's news, one story per event, summarized from every outlet that reported it.",
    language: vars.DIGEST_LANGUAGE || "en",
    ttlMinutes: Number.isFinite(period) && period > 0 ? period : 15,
  };
}

/**
 * DIGEST_MAX_ARTICLES as a number. A value that is not a whole number of at least 1 is an
 * error, not a silent default: the rebuild records it (/healthz) and the live digest stays.
 */
export function maxArticles(vars: SiteVars): number {
  const value = vars.DIGEST_MAX_ARTICLES?.trim();
  if (!value) return DEFAULT_MAX_ARTICLES;
  const limit = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`DIGEST_MAX_ARTICLES must be a whole number of at least 1, not "${vars.DIGEST_MAX_ARTICLES}"`);
  return limit;
}
