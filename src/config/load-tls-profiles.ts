import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  CIPHER_SUITES,
  InvalidFileError,
  isGroupName,
  TLS_PROFILE_RULE_IDS,
  TLS_VERSIONS,
  type Issue,
  type TlsProfile,
  type TlsProfileObservation,
  type TlsProfileRuleId,
} from '../domain/index.js';
import { msg } from '../i18n/index.js';
import { formatPath } from './format-path.js';
import { sortByLine, validateWithSchema } from './schema-issues.js';
import { said } from './schema-texts.js';
import { readYamlFile } from './yaml-source.js';

const HINT = msg('texts2.tls-profile.hint');
const SUITE_NAMES = new Set(CIPHER_SUITES.map((s) => s.name));

const version = z.enum(TLS_VERSIONS);
const suite = z.string().refine((s) => SUITE_NAMES.has(s), { message: said('texts2.tls-profile.suite') });
const group = z.string().refine(isGroupName, { message: said('texts2.tls-profile.group') });
const bits = z.int().min(1).max(65_536);
const localized = z.strictObject({ fr: z.string().trim().min(1), en: z.string().trim().min(1) });

const rulesSchema = z.strictObject({
  versions: z.array(version).min(1),
  suites: z.array(suite).min(1),
  degradedSuites: z.array(suite).optional(),
  forwardSecrecy: z.boolean().optional(),
  groups: z.array(group).min(1).optional(),
  minDhBits: bits.optional(),
  certificateTypes: z.array(z.string().min(1)).min(1).optional(),
  minRsaBits: bits.optional(),
  minEcBits: bits.optional(),
  certificateCurves: z.array(z.string().min(1)).min(1).optional(),
  signatureAlgorithms: z.array(z.string().min(1)).min(1).optional(),
  signatureHashes: z.array(z.string().min(1)).min(1).optional(),
  maxCertificateLifespanDays: z.int().min(1).max(100_000).optional(),
  hstsMinAge: z.int().min(0).optional(),
  ocspStapling: z.boolean().optional(),
  noCompression: z.boolean().optional(),
  secureRenegotiation: z.boolean().optional(),
});

const certificateSchema = z.strictObject({
  keyType: z.string().min(1),
  keyBits: z.int().min(0),
  curve: z.string().optional(),
  signatureAlgorithm: z.string().min(1),
  signatureHash: z.string().optional(),
  notBefore: z.iso.datetime(),
  notAfter: z.iso.datetime(),
});

const observationSchema = z.strictObject({
  versions: z.array(version).nullable(),
  suites: z.array(suite).nullable(),
  suitesComplete: z.boolean(),
  groups: z.array(group).nullable(),
  groupsComplete: z.boolean(),
  dhBits: bits.nullable(),
  dhObserved: z.boolean(),
  certificate: certificateSchema.nullable(),
  web: z.boolean(),
  hstsMaxAge: z.int().min(0).nullable(),
  ocspStapling: z.boolean().nullable(),
  compression: z.boolean().nullable(),
  secureRenegotiation: z.boolean().nullable(),
});

const caseSchema = z.strictObject({
  name: z.string().trim().min(1),
  with: observationSchema.partial(),
  expect: z.strictObject({
    conformant: z.boolean().nullable(),
    violations: z.array(z.enum(TLS_PROFILE_RULE_IDS)).optional(),
  }),
});

export const tlsProfileFileSchema = z.strictObject({
  format: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, said('texts2.tls-profile.id')),
  version: z.string().regex(/^\d+(\.\d+)*$/, said('texts2.tls-profile.version')),
  title: localized,
  source: z.strictObject({
    name: z.string().trim().min(1),
    url: z.url(),
    published: z.iso.date().optional(),
  }),
  rules: rulesSchema,
  /** The observation every case starts from. */
  base: observationSchema,
  cases: z.array(caseSchema).min(1),
});

/** A case of a profile file: the base observation with its overrides, and the expected verdict. */
export interface TlsProfileCase {
  name: string;
  observation: TlsProfileObservation;
  expect: { conformant: boolean | null; violations?: TlsProfileRuleId[] };
}

export interface LoadedTlsProfile {
  profile: TlsProfile;
  file: string;
  cases: TlsProfileCase[];
}

/** Reads one profile file; every problem at once, each with its path and line. */
export function loadTlsProfileFile(file: string): LoadedTlsProfile {
  const source = readYamlFile(file);
  const { data, issues } = validateWithSchema(tlsProfileFileSchema, source);
  if (data === undefined || issues.length > 0)
    throw new InvalidFileError(file, sortByLine(issues), { hint: HINT });
  const { rules } = data;
  const profile: TlsProfile = {
    id: data.id,
    version: data.version,
    title: data.title,
    source: {
      name: data.source.name,
      url: data.source.url,
      ...(data.source.published === undefined ? {} : { published: data.source.published }),
    },
    rules: Object.fromEntries(
      Object.entries(rules).filter(([, v]) => v !== undefined),
    ) as unknown as TlsProfile['rules'],
  };
  const base = data.base as TlsProfileObservation;
  const cases = data.cases.map((c) => ({
    name: c.name,
    observation: { ...base, ...(c.with as Partial<TlsProfileObservation>) },
    expect: {
      conformant: c.expect.conformant,
      ...(c.expect.violations === undefined ? {} : { violations: c.expect.violations }),
    },
  }));
  return { profile, file, cases };
}

/** Reads every `*.yaml` of a profiles folder; two files with the same id and version are an error. */
export function loadTlsProfiles(dir: string): LoadedTlsProfile[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const loaded = files.map((f) => loadTlsProfileFile(join(dir, f)));
  const seen = new Map<string, string>();
  for (const l of loaded) {
    const key = `${l.profile.id}@${l.profile.version}`;
    const other = seen.get(key);
    if (other !== undefined) {
      const text = msg('texts2.tls-profile.duplicate', { profile: key, file: other });
      const issue: Issue = { path: formatPath(['id']), message: text.fallback, i18n: text };
      throw new InvalidFileError(l.file, [issue], { hint: HINT });
    }
    seen.set(key, l.file);
  }
  return loaded;
}

/** Compares dotted versions numerically (5.10 after 5.8). */
export function compareProfileVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Picks a profile by `NAME[@VERSION]`: the newest version when none is given. Undefined when no
 * profile answers to that name (and version).
 */
export function selectTlsProfile(profiles: readonly TlsProfile[], ref: string): TlsProfile | undefined {
  const [id, wanted] = ref.split('@', 2);
  const named = profiles.filter((p) => p.id === id);
  if (wanted !== undefined) return named.find((p) => p.version === wanted);
  return [...named].sort((a, b) => compareProfileVersions(b.version, a.version))[0];
}
