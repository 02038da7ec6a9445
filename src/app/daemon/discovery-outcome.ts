import type { VigieConfig } from '../../config/index.js';
import { t, type Lang } from '../../i18n/index.js';
import type { DaemonJobs } from './daemon-jobs.js';

type Discovery = Awaited<ReturnType<DaemonJobs['discover']>>;

/** Whether the inventory gives discovery something to start from (domains, or declared ranges). */
export function hasDiscoveryScope(config: VigieConfig): boolean {
  const domains = config.assets.some((a) => (a.domains ?? []).length > 0);
  return domains || (config.discovery?.networks ?? []).length > 0;
}

/** The sources of a discovery that failed, each once (`source (domain)`). */
export function failedDiscoverySources(r: Discovery): string[] {
  return [
    ...new Set(
      r.sources
        .filter((s) => s.status === 'failed')
        .map((s) => (s.domain ? `${s.source} (${s.domain})` : s.source)),
    ),
  ];
}

/** What the daemon records of a discovery: a failed source is a failure, never « found nothing ». */
export function discoveryOutcome(
  lang: Lang,
  r: Discovery,
  failed: readonly string[],
): { outcome: 'ok' | 'error'; detail: string } {
  const detail = t(lang, 'daemon.discovery.detail', {
    id: r.run.id,
    names: r.summary.names,
    new: r.summary.new,
    dangling: r.summary.dangling,
  });
  return failed.length
    ? {
        outcome: 'error',
        detail: `${detail} ${t(lang, 'daemon.discovery.failed', { sources: failed.join(', ') })}`,
      }
    : { outcome: 'ok', detail };
}
