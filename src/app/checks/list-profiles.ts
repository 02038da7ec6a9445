import { evaluateTlsProfile } from '../../grading/index.js';
import { builtinTlsProfiles } from '../shared/tls-profiles.js';

export interface ProfileListEntry {
  /** `NAME@VERSION`, as `--profile` and `profile:` accept it. */
  ref: string;
  id: string;
  version: string;
  title: { fr: string; en: string };
  source: { name: string; url: string; published?: string };
  /** Rules the profile states. */
  rules: string[];
  /** The profile's own cases, evaluated now: how many agree with what the file expects. */
  cases: { total: number; agreeing: number };
}

/** The built-in TLS profiles, newest version first within a name, each with its cases re-run. */
export function listTlsProfiles(): ProfileListEntry[] {
  return builtinTlsProfiles()
    .map(({ profile, cases }) => ({
      ref: `${profile.id}@${profile.version}`,
      id: profile.id,
      version: profile.version,
      title: profile.title,
      source: profile.source,
      rules: Object.keys(profile.rules),
      cases: {
        total: cases.length,
        agreeing: cases.filter((c) => {
          const r = evaluateTlsProfile(profile, c.observation);
          const rules = r.violations.map((v) => v.rule).sort();
          return (
            r.conformant === c.expect.conformant &&
            (c.expect.violations === undefined || [...c.expect.violations].sort().join() === rules.join())
          );
        }).length,
      },
    }))
    .sort((a, b) => a.id.localeCompare(b.id) || b.version.localeCompare(a.version, 'en', { numeric: true }));
}
