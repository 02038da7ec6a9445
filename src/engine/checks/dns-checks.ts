import {
  isDmarcRecord,
  isMtaStsRecord,
  isTlsRptRecord,
  mxMatchesPattern,
  parseDkimKey,
  parseDmarc,
  parseMtaStsPolicy,
  parseMtaStsRecord,
  parseSpf,
  parseTlsRpt,
  SPF_LOOKUP_LIMIT,
  walkSpf,
  type DomainObservation,
  type EvidenceParams,
  type Outcome,
  type RecordProblem,
} from '../../domain/index.js';
import type { Check, CheckVerdict } from '../check.js';

export interface DomainCheckContext {
  /** The resolver asked, as `address:port` (evidence of DNSSEC validation). */
  resolver: string;
}

/** A check on one domain's DNS and mail records; its text lives in checks/catalogue.yaml. */
export type DomainCheck = Check<DomainObservation, DomainCheckContext>;

/** Below this, a DKIM key is forgeable (RFC 8301 §3.2). */
export const DKIM_MIN_BITS = 1024;
/** Longest SPF lookup trail quoted in evidence. */
const TRAIL_MAX = 400;

type Finding = { key?: string; params: EvidenceParams };

const verdictOf = (findings: Finding[]): CheckVerdict =>
  findings.length === 0 ? { status: 'pass' } : { status: 'fail', findings };

/** A lookup that could not be made: the check says `error`, never `pass` nor "missing". */
function unavailable<T>(o: Outcome<T>): CheckVerdict | undefined {
  if (o.status === 'error') return { status: 'error', detail: `${o.reason}: ${o.detail}` };
  if (o.status === 'skipped') return { status: 'skipped', because: o.because };
  return undefined;
}

const problemFindings = (domain: string, problems: readonly RecordProblem[], extra: EvidenceParams = {}) =>
  problems.map((p) => ({
    key: `${p.code}:${p.term}`,
    params: { domain, ...extra, problem: p.code, term: p.term },
  }));

/** The SPF records of the domain, once the lookup succeeded. */
function spfRecords(obs: DomainObservation): string[] | CheckVerdict {
  return unavailable(obs.spf) ?? (obs.spf.status === 'observed' ? obs.spf.value.records : []);
}

const spfMissing: DomainCheck = {
  id: 'mail.spf.missing',
  evaluate(obs) {
    const records = spfRecords(obs);
    if (!Array.isArray(records)) return records;
    return verdictOf(records.length === 0 ? [{ params: { domain: obs.domain } }] : []);
  },
};

/**
 * Every permanent error of the policy (RFC 7208): several records, syntax anywhere in the record
 * (§4.6, every sender), and what the walk meets in included and redirected records, with the senders
 * it hits. A question left unanswered that a verdict depends on makes the check `error`, never `pass`.
 */
const spfInvalid: DomainCheck = {
  id: 'mail.spf.invalid',
  evaluate(obs) {
    const records = spfRecords(obs);
    if (!Array.isArray(records)) return records;
    const everySender = { scope: 'every-sender' } as const;
    if (records.length > 1) {
      return verdictOf([
        {
          key: 'multiple-records',
          params: {
            domain: obs.domain,
            problem: 'multiple-records',
            term: records.join(' | '),
            ...everySender,
          },
        },
      ]);
    }
    if (records.length === 0 || obs.spf.status !== 'observed') return { status: 'pass' };
    const record = records[0]!;
    const findings: Finding[] = problemFindings(obs.domain, parseSpf(record).problems, everySender);
    const walk = walkSpf(obs.domain, record, obs.spf.value);
    for (const p of walk.problems) {
      findings.push({
        key: p.key,
        params: {
          domain: obs.domain,
          problem: p.code,
          term: p.term,
          scope: p.scope,
          ...(p.reach === undefined ? {} : { reach: p.reach }),
        },
      });
    }
    if (findings.length === 0 && (walk.unresolved.length > 0 || walk.missing !== undefined)) {
      const unanswered = walk.unresolved.flatMap((q) => {
        const answer = obs.spf.status === 'observed' ? obs.spf.value.targets[q] : undefined;
        return answer?.status === 'error' ? [`${q} (${answer.reason}: ${answer.detail})`] : [q];
      });
      return {
        status: 'error',
        detail: `dns: SPF non jugé, question sans réponse : ${unanswered.join(' ; ') || (walk.missing ?? '')}`,
      };
    }
    return verdictOf(findings);
  },
};

const spfPermissive: DomainCheck = {
  id: 'mail.spf.permissive',
  evaluate(obs) {
    const records = spfRecords(obs);
    if (!Array.isArray(records)) return records;
    if (records.length !== 1) return { status: 'pass' };
    const parsed = parseSpf(records[0]!);
    const allTerm = parsed.terms.find((t) => t.kind === 'mechanism' && t.name === 'all');
    if (parsed.all === '+' || parsed.all === '?') {
      return verdictOf([{ params: { domain: obs.domain, term: allTerm?.raw ?? `${parsed.all}all` } }]);
    }
    // Without `all` nor `redirect`, what matches nothing is "neutral": as good as `?all`.
    if (parsed.all === undefined && parsed.redirect === undefined) {
      return verdictOf([
        { params: { domain: obs.domain, term: records[0]!.trim().split(/\s+/).pop() ?? '' } },
      ]);
    }
    return { status: 'pass' };
  },
};

const spfLookups: DomainCheck = {
  id: 'mail.spf.too-many-lookups',
  evaluate(obs) {
    const records = spfRecords(obs);
    if (!Array.isArray(records)) return records;
    if (records.length !== 1 || obs.spf.status !== 'observed') return { status: 'pass' };
    const { lookups, trail } = obs.spf.value;
    if (lookups <= SPF_LOOKUP_LIMIT) return { status: 'pass' };
    const text = trail.join(' ; ');
    return verdictOf([
      {
        params: {
          domain: obs.domain,
          lookups,
          limit: SPF_LOOKUP_LIMIT,
          trail: text.length > TRAIL_MAX ? `${text.slice(0, TRAIL_MAX)}…` : text,
        },
      },
    ]);
  },
};

function dmarcRecords(obs: DomainObservation): string[] | CheckVerdict {
  return (
    unavailable(obs.dmarc) ?? (obs.dmarc.status === 'observed' ? obs.dmarc.value.filter(isDmarcRecord) : [])
  );
}

const dmarcMissing: DomainCheck = {
  id: 'mail.dmarc.missing',
  evaluate(obs) {
    const records = dmarcRecords(obs);
    if (!Array.isArray(records)) return records;
    return verdictOf(records.length === 0 ? [{ params: { domain: obs.domain } }] : []);
  },
};

const dmarcInvalid: DomainCheck = {
  id: 'mail.dmarc.invalid',
  evaluate(obs) {
    const records = dmarcRecords(obs);
    if (!Array.isArray(records)) return records;
    if (records.length > 1) {
      return verdictOf([
        {
          key: 'multiple-records',
          params: { domain: obs.domain, problem: 'multiple-records', term: records.join(' | ') },
        },
      ]);
    }
    if (records.length === 0) return { status: 'pass' };
    return verdictOf(problemFindings(obs.domain, parseDmarc(records[0]!).problems));
  },
};

/** The single DMARC record, parsed; `undefined` when there is none or several (reported elsewhere). */
function singleDmarc(obs: DomainObservation) {
  const records = dmarcRecords(obs);
  if (!Array.isArray(records)) return records;
  return records.length === 1 ? parseDmarc(records[0]!) : undefined;
}

const dmarcNone: DomainCheck = {
  id: 'mail.dmarc.none',
  evaluate(obs) {
    const parsed = singleDmarc(obs);
    if (parsed && 'status' in parsed) return parsed;
    return verdictOf(parsed?.policy === 'none' ? [{ params: { domain: obs.domain } }] : []);
  },
};

const dmarcNoRua: DomainCheck = {
  id: 'mail.dmarc.no-rua',
  evaluate(obs) {
    const parsed = singleDmarc(obs);
    if (parsed && 'status' in parsed) return parsed;
    return verdictOf(parsed && parsed.rua.length === 0 ? [{ params: { domain: obs.domain } }] : []);
  },
};

/** Each DKIM selector of the inventory, parsed; an error on any selector makes the check `error`. */
function dkimKeys(obs: DomainObservation) {
  if (obs.dkim.length === 0) {
    return { status: 'skipped', because: 'aucun sélecteur DKIM déclaré dans l’inventaire' } as const;
  }
  const out: { selector: string; name: string; published: string; key?: ReturnType<typeof parseDkimKey> }[] =
    [];
  for (const { selector, records } of obs.dkim) {
    const failure = unavailable(records);
    if (failure) return failure;
    const texts = records.status === 'observed' ? records.value : [];
    const name = `${selector}._domainkey.${obs.domain}`;
    const text = texts[0];
    out.push(
      text === undefined
        ? { selector, name, published: '—' }
        : { selector, name, published: text, key: parseDkimKey(text) },
    );
  }
  return out;
}

const dkimMissing: DomainCheck = {
  id: 'mail.dkim.missing',
  evaluate(obs) {
    const keys = dkimKeys(obs);
    if (!Array.isArray(keys)) return keys;
    return verdictOf(
      keys
        .filter((k) => !k.key || k.key.revoked)
        .map((k) => ({
          key: k.selector,
          params: { domain: obs.domain, selector: k.selector, name: k.name, published: k.published },
        })),
    );
  },
};

const dkimWeak: DomainCheck = {
  id: 'mail.dkim.weak-key',
  evaluate(obs) {
    const keys = dkimKeys(obs);
    if (!Array.isArray(keys)) return keys;
    return verdictOf(
      keys.flatMap((k) =>
        k.key?.bits !== undefined && k.key.bits < DKIM_MIN_BITS
          ? [{ key: k.selector, params: { domain: obs.domain, selector: k.selector, bits: k.key.bits } }]
          : [],
      ),
    );
  },
};

const dkimInvalid: DomainCheck = {
  id: 'mail.dkim.invalid',
  evaluate(obs) {
    const keys = dkimKeys(obs);
    if (!Array.isArray(keys)) return keys;
    return verdictOf(
      keys.flatMap((k) =>
        k.key && !k.key.revoked
          ? problemFindings(obs.domain, k.key.problems, { selector: k.selector }).map((f) => ({
              ...f,
              key: `${k.selector}:${f.key}`,
            }))
          : [],
      ),
    );
  },
};

/** The domain receives mail: MTA-STS and TLS-RPT concern it. */
function receivesMail(obs: DomainObservation): CheckVerdict | true {
  const failure = unavailable(obs.mx);
  if (failure) return failure;
  if (obs.mx.status === 'observed' && (obs.mx.value.nullMx || obs.mx.value.hosts.length === 0)) {
    return { status: 'skipped', because: 'le domaine ne reçoit pas de courriel (pas de MX)' };
  }
  return true;
}

const mtaStsMissing: DomainCheck = {
  id: 'mail.mta-sts.missing',
  evaluate(obs) {
    const mail = receivesMail(obs);
    if (mail !== true) return mail;
    const failure = unavailable(obs.mtaSts);
    if (failure) return failure;
    const records = obs.mtaSts.status === 'observed' ? obs.mtaSts.value.records.filter(isMtaStsRecord) : [];
    return verdictOf(records.length === 0 ? [{ params: { domain: obs.domain } }] : []);
  },
};

/** Why senders would ignore the policy: record, fetch, status, type, content, MX coverage. */
function mtaStsProblems(obs: DomainObservation): { findings: Finding[]; mode?: string } | CheckVerdict {
  const mail = receivesMail(obs);
  if (mail !== true) return mail;
  const failure = unavailable(obs.mtaSts);
  if (failure) return failure;
  if (obs.mtaSts.status !== 'observed') return { findings: [] };
  const { domain } = obs;
  const records = obs.mtaSts.value.records.filter(isMtaStsRecord);
  if (records.length === 0) return { findings: [] };
  const problem = (code: string, term: string): Finding => ({
    key: `${code}:${term}`,
    params: { domain, problem: code, term },
  });
  if (records.length > 1) return { findings: [problem('multiple-records', records.join(' | '))] };
  const findings: Finding[] = problemFindings(domain, parseMtaStsRecord(records[0]!).problems);
  const policy = obs.mtaSts.value.policy;
  if (!policy || policy.status === 'skipped') return { findings };
  if (policy.status === 'error') {
    findings.push(problem('policy-unreachable', `${policy.reason}: ${policy.detail}`));
    return { findings };
  }
  const page = policy.value;
  if (page.status !== 200) {
    findings.push(problem('policy-status', `${page.url} → ${page.status}`));
    return { findings };
  }
  if (!/^text\/plain\b/i.test(page.contentType.trim())) {
    findings.push(problem('policy-content-type', page.contentType || '—'));
  }
  const parsed = parseMtaStsPolicy(page.body);
  findings.push(...problemFindings(domain, parsed.problems));
  if (parsed.mode !== undefined && parsed.mode !== 'none' && obs.mx.status === 'observed') {
    for (const host of obs.mx.value.hosts) {
      if (!parsed.mx.some((pattern) => mxMatchesPattern(host.exchange, pattern))) {
        findings.push(problem('mx-not-covered', host.exchange));
      }
    }
  }
  return { findings, ...(parsed.mode === undefined ? {} : { mode: parsed.mode }) };
}

const mtaStsInvalid: DomainCheck = {
  id: 'mail.mta-sts.invalid',
  evaluate(obs) {
    const r = mtaStsProblems(obs);
    return 'status' in r ? r : verdictOf(r.findings);
  },
};

const mtaStsTesting: DomainCheck = {
  id: 'mail.mta-sts.testing',
  evaluate(obs) {
    const r = mtaStsProblems(obs);
    if ('status' in r) return r;
    return verdictOf(
      r.mode === 'testing' || r.mode === 'none' ? [{ params: { domain: obs.domain, mode: r.mode } }] : [],
    );
  },
};

const tlsRptMissing: DomainCheck = {
  id: 'mail.tls-rpt.missing',
  evaluate(obs) {
    const mail = receivesMail(obs);
    if (mail !== true) return mail;
    const failure = unavailable(obs.tlsRpt);
    if (failure) return failure;
    const records = obs.tlsRpt.status === 'observed' ? obs.tlsRpt.value.filter(isTlsRptRecord) : [];
    if (records.length === 0) return verdictOf([{ params: { domain: obs.domain, problem: '' } }]);
    if (records.length > 1) {
      return verdictOf([
        { params: { domain: obs.domain, problem: ` (multiple-records : ${records.length})` } },
      ]);
    }
    const first = parseTlsRpt(records[0]!).problems[0];
    return verdictOf(
      first ? [{ params: { domain: obs.domain, problem: ` (${first.code} : « ${first.term} »)` } }] : [],
    );
  },
};

const caaMissing: DomainCheck = {
  id: 'dns.caa.missing',
  evaluate(obs) {
    const failure = unavailable(obs.caa);
    if (failure) return failure;
    const records = obs.caa.status === 'observed' ? obs.caa.value.records : [];
    const issuing = records.some((r) => r.tag === 'issue' || r.tag === 'issuewild');
    return verdictOf(issuing ? [] : [{ params: { domain: obs.domain } }]);
  },
};

const dnssecMissing: DomainCheck = {
  id: 'dns.dnssec.missing',
  evaluate(obs) {
    const failure = unavailable(obs.dnssec);
    if (failure) return failure;
    if (obs.dnssec.status !== 'observed') return { status: 'pass' };
    const { signed, dnskeys } = obs.dnssec.value;
    return verdictOf(signed ? [] : [{ params: { domain: obs.domain, dnskeys } }]);
  },
};

const dnssecInvalid: DomainCheck = {
  id: 'dns.dnssec.invalid',
  evaluate(obs, ctx) {
    const failure = unavailable(obs.dnssec);
    if (failure) return failure;
    if (obs.dnssec.status !== 'observed') return { status: 'pass' };
    const { signed, validation } = obs.dnssec.value;
    if (validation === 'not-checked') {
      return { status: 'skipped', because: 'aucun résolveur validant configuré (dns.validating)' };
    }
    if (!signed && validation !== 'bogus') return { status: 'pass' };
    return verdictOf(
      validation === 'validated'
        ? []
        : [{ params: { domain: obs.domain, resolver: ctx.resolver, validation } }],
    );
  },
};

/** Every domain check, in report order. */
export const domainChecks: readonly DomainCheck[] = [
  spfMissing,
  spfInvalid,
  spfPermissive,
  spfLookups,
  dmarcMissing,
  dmarcInvalid,
  dmarcNone,
  dmarcNoRua,
  dkimMissing,
  dkimWeak,
  dkimInvalid,
  mtaStsMissing,
  mtaStsInvalid,
  mtaStsTesting,
  tlsRptMissing,
  caaMissing,
  dnssecMissing,
  dnssecInvalid,
];
