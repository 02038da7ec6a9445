import type { Catalogue, ReportFinding } from '../../domain/index.js';
import type { Lang } from '../../i18n/index.js';
import type { TrackedFinding } from '../../store/index.js';
import type { InventoryIndex } from '../shared/inventory-index.js';
import { recordFinding } from '../shared/materialize-findings.js';

/** A stored finding as reports show it: texts in the user's language, owner, status, waiver. */
export function reportFinding(
  r: TrackedFinding,
  catalogue: Catalogue,
  inventory: InventoryIndex,
  lang: Lang,
): ReportFinding {
  const asset = r.assetId ? inventory.assets.get(r.assetId) : undefined;
  const base = recordFinding(r, catalogue, lang);
  return {
    ...base,
    status: r.status,
    ...(asset ? { owner: asset.owner, assetName: asset.name, criticality: asset.criticality } : {}),
    ...(r.waiver ? { waiver: r.waiver } : {}),
    ...(r.status === 'resolved' && r.closedAt ? { resolvedAt: r.closedAt } : {}),
  };
}
