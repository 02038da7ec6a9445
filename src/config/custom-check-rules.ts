import {
  CUSTOM_EVIDENCE_PARAMS,
  type CustomCheck,
  type HttpResponseFacts,
  type HttpRule,
  type HttpSample,
  type Issue,
  type TcpSample,
} from '../domain/index.js';
import { matchHttp, matchTcp, type CustomMatchResult } from '../domain/custom-matchers.js';
import type { CustomCheckEntry, SampleEntry } from './custom-check-schema.js';
import type { DocumentPath } from './format-path.js';
import { templateParams } from './load-catalogue.js';

/** Builds an issue at a path relative to the check being read (file, full path and line filled in). */
export type IssueAt = (path: DocumentPath, message: string) => Issue;

type CaseGroup = 'match' | 'noMatch';
const GROUPS: readonly CaseGroup[] = ['match', 'noMatch'];

/** The response an HTTP case stands for: status 200, no header and an empty body unless written. */
export function httpSampleResponse(rule: Pick<HttpRule, 'path'>, sample: HttpSample): HttpResponseFacts {
  return {
    url: `https://cas.invalid${rule.path}`,
    status: sample.status ?? 200,
    headers: Object.entries(sample.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    body: sample.body ?? '',
    bodyTruncated: false,
  };
}

/**
 * The rules a schema cannot say, on a check the schema accepted: exactly one rule kind, cases of
 * that kind, the same known `{params}` in French and English, and every case behaving as declared
 * (a `match` case raises the finding, a `noMatch` case does not). The check comes back when all hold.
 */
export function buildCustomCheck(
  entry: CustomCheckEntry,
  file: string,
  at: IssueAt,
): { check?: CustomCheck; issues: Issue[] } {
  const { http, tcp, cases, playbook, ...meta } = entry;
  const issues: Issue[] = [];
  if (http !== undefined && tcp !== undefined) {
    issues.push(at(['tcp'], 'un contrôle a une seule règle : « http » ou « tcp », pas les deux'));
    return { issues };
  }
  if (http === undefined && tcp === undefined) {
    issues.push(at([], 'règle manquante : « http » (chemin et matchers) ou « tcp » (port et matchers)'));
    return { issues };
  }
  const kind = http === undefined ? 'tcp' : 'http';
  issues.push(...templateIssues(entry.evidence, kind, at));

  // Cases of the wrong kind are reported, not run: running them would only add noise.
  const kept: KeptSample[] = [];
  for (const group of GROUPS) {
    cases[group].forEach((sample, index) => {
      const problems = sampleKindIssues(sample, kind, (key, message) =>
        at(['cases', group, index, ...key], message),
      );
      issues.push(...problems);
      if (problems.length === 0) kept.push({ group, index, sample });
    });
  }

  const base = { ...meta, ...(playbook === undefined ? {} : { playbook }), file };
  let check: CustomCheck;
  if (http !== undefined) {
    const rule: HttpRule = { path: http.path, scheme: http.scheme, matchers: http.matchers };
    const toSample = (s: SampleEntry): HttpSample => ({
      ...(s.status === undefined ? {} : { status: s.status }),
      ...(s.headers === undefined ? {} : { headers: s.headers }),
      ...(s.body === undefined ? {} : { body: s.body }),
    });
    check = {
      ...base,
      kind: 'http',
      http: rule,
      cases: { match: cases.match.map(toSample), noMatch: cases.noMatch.map(toSample) },
    };
    issues.push(...caseIssues(kept, (s) => matchHttp(rule, httpSampleResponse(rule, toSample(s))), at));
  } else if (tcp !== undefined) {
    const rule = {
      port: tcp.port,
      ...(tcp.send === undefined ? {} : { send: tcp.send }),
      matchers: tcp.matchers,
    };
    const toSample = (s: SampleEntry): TcpSample => ({ banner: s.banner ?? '' });
    check = {
      ...base,
      kind: 'tcp',
      tcp: rule,
      cases: { match: cases.match.map(toSample), noMatch: cases.noMatch.map(toSample) },
    };
    issues.push(...caseIssues(kept, (s) => matchTcp(rule, s.banner ?? ''), at));
  } else {
    return { issues };
  }
  return issues.length > 0 ? { issues } : { check, issues };
}

/**
 * The evidence templates: the same `{params}` in French and English, all known for the rule's kind
 * (when it is known). Also run on a check the schema refused, so these problems come with the others.
 */
export function templateIssues(
  evidence: { fr: string; en: string },
  kind: CustomCheck['kind'] | undefined,
  at: IssueAt,
): Issue[] {
  const issues: Issue[] = [];
  const list = (params: readonly string[]): string => params.map((p) => `{${p}}`).join(', ');
  if (kind !== undefined) {
    const known: readonly string[] = CUSTOM_EVIDENCE_PARAMS[kind];
    for (const lang of ['fr', 'en'] as const) {
      const unknown = templateParams(evidence[lang]).filter((p) => !known.includes(p));
      if (unknown.length > 0)
        issues.push(
          at(
            ['evidence', lang],
            `paramètre(s) inconnu(s) ${list(unknown)} pour un contrôle ${kind} (disponibles : ${list(known)})`,
          ),
        );
    }
  }
  const fr = [...new Set(templateParams(evidence.fr))].sort();
  const en = [...new Set(templateParams(evidence.en))].sort();
  if (fr.join(',') !== en.join(','))
    issues.push(at(['evidence'], `paramètres différents entre fr (${list(fr)}) et en (${list(en)})`));
  return issues;
}

function sampleKindIssues(
  sample: SampleEntry,
  kind: CustomCheck['kind'],
  at: (key: DocumentPath, message: string) => Issue,
): Issue[] {
  if (kind === 'http')
    return sample.banner === undefined
      ? []
      : [at(['banner'], '« banner » ne s’emploie que dans un contrôle tcp (ici : status, headers, body)')];
  const issues = (['status', 'headers', 'body'] as const)
    .filter((key) => sample[key] !== undefined)
    .map((key) => at([key], `« ${key} » ne s’emploie que dans un contrôle http (ici : banner)`));
  if (sample.banner === undefined) issues.push(at([], '« banner » attendu : ce que le service envoie'));
  return issues;
}

interface KeptSample {
  group: CaseGroup;
  index: number;
  sample: SampleEntry;
}

function caseIssues(
  kept: readonly KeptSample[],
  run: (sample: SampleEntry) => CustomMatchResult,
  at: IssueAt,
): Issue[] {
  const issues: Issue[] = [];
  for (const { group, index, sample } of kept) {
    const result = run(sample);
    if (group === 'match' && !result.matched)
      issues.push(
        at(
          ['cases', group, index],
          `ce cas devrait déclencher le contrôle mais ne le déclenche pas (non vérifié : ${result.unmatched ?? '?'})`,
        ),
      );
    if (group === 'noMatch' && result.matched)
      issues.push(
        at(
          ['cases', group, index],
          `ce cas ne devrait pas déclencher le contrôle mais le déclenche (vérifié : ${String(result.evidence.matched)})`,
        ),
      );
  }
  return issues;
}
