// Site settings from `[vars]` (Worker) or flags (CLI), with the same defaults for both.
import type { DigestMeta } from "./pipeline/types";

export interface SiteVars {
  SITE_URL?: string;
  DIGEST_TITLE?: string;
  DIGEST_DESCRIPTION?: string;
  DIGEST_LANGUAGE?: string;
  CRON_PERIOD_MINUTES?: string;
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
