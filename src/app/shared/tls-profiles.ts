import { loadTlsProfiles, selectTlsProfile, type LoadedTlsProfile } from '../../config/index.js';
import { UsageError, type Endpoint, type TlsProfile } from '../../domain/index.js';
import type { VigieConfig } from '../../config/index.js';
import { t, type Lang } from '../../i18n/index.js';
import { CHECKS_DIR } from './load-catalogue.js';

export const PROFILES_DIR = `${CHECKS_DIR}profiles/`;

let cached: LoadedTlsProfile[] | undefined;

/** The built-in TLS policy profiles (checks/profiles/), read once per process. */
export function builtinTlsProfiles(): LoadedTlsProfile[] {
  cached ??= loadTlsProfiles(PROFILES_DIR);
  return cached;
}

/** The profiles named `NAME[@VERSION]`; an unknown name is a usage error that lists the known ones. */
export function resolveTlsProfiles(refs: readonly string[], lang: Lang): TlsProfile[] {
  // Nothing named: the profile files are not read (most scans check no profile).
  if (refs.length === 0) return [];
  const all = builtinTlsProfiles().map((l) => l.profile);
  return refs.map((ref) => {
    const p = selectTlsProfile(all, ref);
    if (p) return p;
    const known = [...new Set(all.map((x) => `${x.id}@${x.version}`))].sort().join(', ');
    throw new UsageError(t(lang, 'tls-profile.unknown', { ref }), {
      hint: t(lang, 'tls-profile.unknown.hint', { refs: known }),
    });
  });
}

/**
 * Which profiles each endpoint is checked against: those of `--profile` for every endpoint, else
 * the asset's `profile:`, else the organisation's; none when nothing names one. Unknown names are
 * refused before the scan starts.
 */
export function tlsProfilesFor(
  config: VigieConfig | undefined,
  flagRefs: readonly string[],
  lang: Lang,
): ((endpoint: Endpoint) => readonly TlsProfile[]) | undefined {
  if (flagRefs.length > 0) {
    const chosen = resolveTlsProfiles(flagRefs, lang);
    return () => chosen;
  }
  const orgRefs = config?.organisation.profile ?? [];
  const byAsset = new Map<string, TlsProfile[]>();
  for (const asset of config?.assets ?? []) {
    if (asset.profile) byAsset.set(asset.id, resolveTlsProfiles(asset.profile, lang));
  }
  const orgProfiles = resolveTlsProfiles(orgRefs, lang);
  if (orgProfiles.length === 0 && byAsset.size === 0) return undefined;
  return (endpoint) => (endpoint.assetId ? byAsset.get(endpoint.assetId) : undefined) ?? orgProfiles;
}
