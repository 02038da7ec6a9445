import type { VigieConfig } from '../../config/index.js';
import type { ChapterIndicator } from '../../domain/index.js';
import { t } from '../../i18n/index.js';
import type { Store } from '../../store/index.js';

const fr = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
/** How many unlisted names the indicator's table shows. */
const ROWS_SHOWN = 20;

/**
 * « Couverture de l'inventaire (découverte) »: the inventory's host names over those names plus the
 * names `vigie discover` saw in the year and the inventory still does not list (`new`, `dangling`).
 * Not measured without vigie.yml or when no discovery ran in the year: what was never looked for is not
 * counted as covered.
 */
export async function inventoryCoverage(
  store: Store,
  config: VigieConfig | undefined,
  from: string,
  to: string,
): Promise<ChapterIndicator> {
  const base = {
    id: 'inventory-coverage',
    title: t('fr', 'chapter.inventoryCoverage.title'),
    method: t('fr', 'chapter.inventoryCoverage.method'),
  };
  const lastRun = await store.discovery.latestRunAt(to);
  if (!config || lastRun === undefined || lastRun < from) {
    return {
      ...base,
      value: t('fr', 'chapter.inventoryCoverage.notMeasured'),
      comment: t(
        'fr',
        config ? 'chapter.inventoryCoverage.noDiscovery' : 'chapter.inventoryCoverage.noInventory',
      ),
      available: false,
    };
  }
  const listed = new Set(config.assets.flatMap((a) => a.hosts.map((h) => h.name.toLowerCase())));
  const unlisted = (await store.discovery.list()).filter(
    (n) =>
      (n.class === 'new' || n.class === 'dangling') &&
      n.lastSeen >= from &&
      n.firstSeen < to &&
      !listed.has(n.name.toLowerCase()),
  );
  const dangling = unlisted.filter((n) => n.class === 'dangling').length;
  const whole = listed.size + unlisted.length;
  const rows = unlisted.slice(0, ROWS_SHOWN).map((n) => ({
    label: n.name,
    value: t(
      'fr',
      n.class === 'dangling' ? 'chapter.inventoryCoverage.rowDangling' : 'chapter.inventoryCoverage.rowNew',
      {
        date: n.firstSeen.slice(0, 10),
      },
    ),
  }));
  if (unlisted.length > ROWS_SHOWN)
    rows.push({
      label: '…',
      value: t('fr', 'chapter.inventoryCoverage.rowMore', { count: unlisted.length - ROWS_SHOWN }),
    });
  return {
    ...base,
    value: whole === 0 ? '—' : `${fr.format((100 * listed.size) / whole)} %`,
    comment: t('fr', 'chapter.inventoryCoverage.comment', {
      listed: listed.size,
      unlisted: unlisted.length,
      dangling,
      date: lastRun.slice(0, 10),
    }),
    ...(rows.length ? { rows } : {}),
    available: whole > 0,
  };
}
