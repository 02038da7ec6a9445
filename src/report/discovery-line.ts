import type { PostureReport } from '../domain/index.js';
import { t, type Lang } from '../i18n/index.js';

/**
 * « Découverte du 2026-11-29 : 3 point(s) d'accès hors inventaire, dont 1 CNAME abandonné … »;
 * undefined when no discovery ever ran (the report then says nothing rather than « none »).
 */
export function discoveryLine(report: PostureReport, lang: Lang): string | undefined {
  const d = report.discovery;
  if (!d) return undefined;
  return t(lang, d.unlisted === 0 ? 'posture-report.discovery.none' : 'posture-report.discovery', {
    date: d.lastRunAt.slice(0, 10),
    unlisted: d.unlisted,
    dangling: d.dangling,
  });
}
