import { inventoryEndpoints } from '../../config/index.js';
import {
  NOT_EVALUATED,
  type ChapterIndicator,
  type Severity,
  type TrustChapter,
} from '../../domain/index.js';
import { severityLabel } from '../../i18n/index.js';
import { type Store } from '../../store/index.js';
import type { AppContext } from '../shared/context.js';
import { builtinServices } from '../shared/load-catalogue.js';
import { defaultPorts } from '../../engine/index.js';
import { optionalConfig } from '../shared/inventory-index.js';
import { computeIncidentMetrics, listPlaybookRegister } from '../playbooks-incidents/index.js';
import { readFacts } from '../shared/stored-facts.js';
import { inventoryCoverage } from './inventory-coverage.js';
import { hasDataStore, openAppStore } from '../shared/data-store.js';

const DAY_MS = 86_400_000;
const fr = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const pct = (part: number, whole: number) => (whole === 0 ? '—' : `${fr.format((100 * part) / whole)} %`);
const median = (values: number[]): number | undefined => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
/** Month names as the chapter's language writes them (the chapter is in French by decision: ADR 0021). */
const monthName = (month: number): string =>
  new Intl.DateTimeFormat('fr-FR', { month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2000, month, 1)),
  );

export interface ChapterRequest {
  year: number;
  inventoryFile?: string;
}

/**
 * The indicators of the trust chapter for one year, in French, each with how it is computed.
 * Reads the stored runs only; an indicator whose data does not exist yet says so.
 */
export async function buildChapter(ctx: AppContext, req: ChapterRequest): Promise<TrustChapter> {
  const config = optionalConfig(req.inventoryFile);
  const from = new Date(Date.UTC(req.year, 0, 1)).toISOString();
  const to = new Date(Date.UTC(req.year + 1, 0, 1)).toISOString();
  const chapter: TrustChapter = {
    organisation: config?.organisation.name ?? '—',
    year: req.year,
    generatedAt: ctx.clock.now().toISOString(),
    period: { runs: 0 },
    indicators: [],
  };
  if (!hasDataStore(ctx)) {
    chapter.indicators = unavailable('aucune analyse enregistrée');
    return chapter;
  }
  const store = await openAppStore(ctx);
  try {
    const runs = (await store.runs.list(10_000))
      .filter((r) => r.startedAt >= from && r.startedAt < to)
      .reverse();
    const firstRun = runs[0];
    const lastRun = runs[runs.length - 1];
    chapter.period = {
      runs: runs.length,
      ...(firstRun ? { from: firstRun.startedAt } : {}),
      ...(lastRun ? { to: lastRun.startedAt } : {}),
    };
    if (runs.length === 0) {
      chapter.indicators = unavailable(`aucune analyse en ${req.year}`);
      return chapter;
    }
    const details: RunDetails = [];
    for (const r of runs) {
      const detail = await store.runs.get(r.id);
      if (detail !== undefined) details.push(detail);
    }
    const end = to < chapter.generatedAt ? to : chapter.generatedAt;
    chapter.indicators = [
      coverage(
        details,
        config
          ? inventoryEndpoints(config, defaultPorts([...builtinServices().services.values()]))
          : undefined,
      ),
      await inventoryCoverage(store, config, from, to),
      postureEvolution(runs),
      await gradedA(store),
      await postQuantumReady(store),
      certificatesRenewed(details),
      await servicesClosed(store, from, to, end),
      await timeToRemediate(store, from, to, end),
      await waiversInForce(store, end),
      ...(await readiness(ctx, req, from, to)),
    ];
    return chapter;
  } finally {
    await store.close();
  }
}

type RunDetails = NonNullable<Awaited<ReturnType<Store['runs']['get']>>>[];
const key = (e: { host: string; port: number }) => `${e.host.toLowerCase()}:${e.port}`;

function coverage(
  details: RunDetails,
  inventory: { host: string; port: number; implicit?: boolean }[] | undefined,
): ChapterIndicator {
  const scanned = new Set<string>();
  for (const run of details) for (const e of run.endpoints) if (e.status === 'assessed') scanned.add(key(e));
  const method =
    'Points d’accès de l’inventaire (vigie.yml : chaque hôte × port déclaré ; pour un actif sans ports, ses ports web) évalués au moins une fois dans l’année, rapportés au nombre de points d’accès déclarés.';
  if (!inventory) {
    return {
      id: 'coverage',
      title: 'Couverture de l’inventaire',
      value: `${scanned.size} point(s) d’accès évalué(s)`,
      comment: 'Sans vigie.yml, la couverture ne peut pas être rapportée à un inventaire.',
      method,
      available: false,
    };
  }
  const declared = inventory.filter((e) => !e.implicit || e.port === 443 || e.port === 80);
  const covered = declared.filter((e) => scanned.has(key(e))).length;
  return {
    id: 'coverage',
    title: 'Couverture de l’inventaire',
    value: pct(covered, declared.length),
    comment: `${covered} point(s) d’accès sur ${declared.length} déclarés ont été évalués au moins une fois en cours d’année.`,
    method,
    available: true,
  };
}

function postureEvolution(runs: Awaited<ReturnType<Store['runs']['list']>>): ChapterIndicator {
  const points = runs.flatMap((r) => (r.posture ? [{ at: r.startedAt, index: r.posture.index }] : []));
  const first = points[0];
  const last = points[points.length - 1];
  const monthly = new Map<number, number>();
  for (const p of points) monthly.set(new Date(p.at).getUTCMonth(), p.index);
  const delta = first && last ? last.index - first.index : 0;
  return {
    id: 'posture',
    title: 'Indice de posture et son évolution',
    value: last
      ? `${fr.format(last.index)} / 100 (${delta >= 0 ? '+' : ''}${fr.format(delta)} sur l’année)`
      : '—',
    comment:
      first && last
        ? `L’indice est passé de ${fr.format(first.index)} à ${fr.format(last.index)} entre la première et la dernière analyse de l’année.`
        : 'Aucune analyse n’a calculé d’indice cette année.',
    method:
      'Chaque point d’accès évalué vaut 100, moins 40 par constat critique ouvert, 20 par constat haut, 8 par moyen, 3 par faible (au plus bas 0) ; les constats dérogés ne comptent pas. L’indice est la moyenne pondérée par la criticité de l’actif (faible 1, moyenne 2, haute 3, critique 5). Valeur mensuelle : la dernière analyse du mois.',
    rows: [...monthly.entries()].map(([m, index]) => ({
      label: monthName(m),
      value: fr.format(index),
    })),
    available: points.length > 0,
  };
}

async function gradedA(store: Store): Promise<ChapterIndicator> {
  const grades = (await store.runs.latestEndpoints()).flatMap((e) => {
    const g = readFacts(e.facts).tls?.grade;
    return g ? [g.grade] : [];
  });
  // « Not evaluated » is not a letter: neither a good grade nor a bad one, and it is said.
  const graded = grades.filter((g) => g !== NOT_EVALUATED);
  const unknown = grades.length - graded.length;
  const good = graded.filter((g) => g === 'A+' || g === 'A' || g === 'A-').length;
  return {
    id: 'grade-a',
    title: 'Points d’accès TLS notés A ou mieux',
    value: pct(good, graded.length),
    comment:
      `${good} point(s) d’accès TLS sur ${graded.length} obtiennent A-, A ou A+ à leur dernière analyse.` +
      (unknown > 0 ? ` ${unknown} non noté(s) : certificat illisible ou négociation impossible.` : ''),
    method:
      'Note TLS de chaque point d’accès à sa dernière analyse, selon le guide de notation des serveurs de SSL Labs (protocoles 30 %, échange de clés 30 %, chiffrement 40 %, avec plafonds), comptée A ou mieux pour A-, A et A+ ; une note « non évaluée » (certificat illisible) n’est comptée ni pour ni contre.',
    available: graded.length > 0,
  };
}

async function postQuantumReady(store: Store): Promise<ChapterIndicator> {
  const seen = (await store.runs.latestEndpoints()).flatMap((e) => {
    const pq = readFacts(e.facts).tls?.postQuantum;
    return pq === undefined ? [] : [pq];
  });
  // Not observed (null) is neither ready nor not ready, and it is said.
  const observedPq = seen.filter((v) => v !== null);
  const ready = observedPq.filter((v) => v).length;
  const unknown = seen.length - observedPq.length;
  return {
    id: 'post-quantum',
    title: 'Points d’accès TLS prêts pour le post-quantique',
    value: pct(ready, observedPq.length),
    comment:
      `${ready} point(s) d’accès TLS sur ${observedPq.length} acceptent un échange de clés hybride post-quantique (X25519MLKEM768 ou voisin) à leur dernière analyse.` +
      (unknown > 0 ? ` ${unknown} non observé(s) : énumération interrompue ou TLS illisible.` : ''),
    method:
      'À chaque analyse, vigie propose en TLS 1.3 ses groupes d’échange de clés sans partage de clé, et lit le groupe que le serveur demande (HelloRetryRequest), puis recommence sans lui ; un point d’accès est prêt quand un groupe hybride (ML-KEM associé à une courbe elliptique) est accepté. Un point d’accès sans TLS 1.3 ne l’est pas ; un point d’accès dont l’énumération n’a pas abouti n’est compté ni pour ni contre.',
    available: observedPq.length > 0,
  };
}

function certificatesRenewed(details: RunDetails): ChapterIndicator {
  // Follow each endpoint's certificate expiry across the year's runs.
  const last = new Map<string, { notAfter: string }>();
  let inTime = 0;
  let late = 0;
  const expiredSeen = new Set<string>();
  for (const run of details) {
    for (const e of run.endpoints) {
      const cert = readFacts(e.facts).tls?.certificate;
      if (!cert) continue;
      const k = key(e);
      const previous = last.get(k);
      if (previous && cert.notAfter > previous.notAfter) {
        if (previous.notAfter > run.startedAt && !expiredSeen.has(k)) inTime += 1;
        else late += 1;
        expiredSeen.delete(k);
      }
      if (cert.notAfter <= run.startedAt) expiredSeen.add(k);
      last.set(k, { notAfter: cert.notAfter });
    }
  }
  const total = inTime + late;
  return {
    id: 'certificates',
    title: 'Certificats renouvelés à temps',
    value: total ? pct(inTime, total) : 'aucun renouvellement observé',
    comment: `${inTime} renouvellement(s) avant échéance, ${late} après expiration ; ${expiredSeen.size} certificat(s) expiré(s) encore en service à la dernière analyse.`,
    method:
      'Un renouvellement est observé quand la date d’expiration du certificat d’un point d’accès recule d’une analyse à la suivante ; il est « à temps » si l’ancien certificat n’avait pas encore expiré.',
    available: true,
  };
}

async function servicesClosed(
  store: Store,
  from: string,
  to: string,
  end: string,
): Promise<ChapterIndicator> {
  const exposed = (await store.findings.list({ now: end })).filter(
    (f) =>
      f.checkId.startsWith('service.exposed.') &&
      f.severity !== 'info' &&
      f.firstSeen < to &&
      (f.open || (f.closedAt ?? '') >= from),
  );
  const closed = exposed.filter(
    (f) => !f.open && f.closedAt !== undefined && f.closedAt >= from && f.closedAt < to,
  );
  return {
    id: 'services',
    title: 'Services sensibles exposés fermés',
    value: exposed.length ? `${closed.length} sur ${exposed.length}` : 'aucun service sensible exposé',
    comment: `${closed.length} service(s) sensible(s) exposé(s) sur Internet ont été fermés ou protégés dans l’année ; ${exposed.length - closed.length} le sont encore.`,
    method:
      'Constats « service.exposed.* » (hors expositions déclarées dans l’inventaire) présents pendant l’année ; fermés = résolus dans l’année, c’est-à-dire absents d’une analyse ultérieure qui a évalué le port.',
    available: true,
  };
}

async function timeToRemediate(
  store: Store,
  from: string,
  to: string,
  end: string,
): Promise<ChapterIndicator> {
  // Every remediation episode closed in the year counts: from first seen (or its return after an
  // earlier fix) to the run that saw it gone, even if the finding came back later.
  const durations = new Map<Severity, number[]>();
  let episodes = 0;
  for (const f of await store.findings.list({ now: end })) {
    let openedAt: string | undefined;
    for (const e of await store.findings.timeline(f.fingerprint)) {
      if (e.kind === 'first-seen' || e.kind === 'regressed') openedAt = e.at;
      if (e.kind === 'resolved' && openedAt !== undefined) {
        if (e.at >= from && e.at < to) {
          const list = durations.get(f.severity) ?? [];
          list.push((Date.parse(e.at) - Date.parse(openedAt)) / DAY_MS);
          durations.set(f.severity, list);
          episodes += 1;
        }
        openedAt = undefined;
      }
    }
  }
  const rows = (['critical', 'high', 'medium', 'low'] as const).map((s) => {
    const days = durations.get(s) ?? [];
    const m = median(days);
    return {
      label: `${severityLabel('fr', s)} (${days.length})`,
      value: m === undefined ? '—' : `${fr.format(m)} jour(s)`,
    };
  });
  return {
    id: 'remediation',
    title: 'Délai médian de correction par sévérité',
    value: rows.map((r) => `${r.label.split(' ')[0]} ${r.value}`).join(' · '),
    comment: `${episodes} correction(s) constatée(s) dans l’année.`,
    method:
      'Pour chaque correction constatée dans l’année : durée entre l’apparition du constat (ou son retour après une correction antérieure) et l’analyse qui l’a vu disparaître ; médiane par sévérité (entre parenthèses, le nombre de corrections).',
    rows,
    available: true,
  };
}

async function waiversInForce(store: Store, end: string): Promise<ChapterIndicator> {
  await store.waivers.expire(end);
  const active = await store.waivers.list({ state: ['active'] });
  return {
    id: 'waivers',
    title: 'Dérogations en vigueur',
    value: String(active.length),
    comment: active.length
      ? 'Chaque dérogation a une raison écrite et une échéance d’un an au plus.'
      : 'Aucun constat n’est accepté par dérogation.',
    method:
      'Dérogations actives à la date du rapport (ni échues, ni tombées par changement de la preuve, ni retirées).',
    rows: active.map((w) => ({
      label: `${w.checkId} — ${w.host}:${w.port}`,
      value: `« ${w.reason} », jusqu’au ${w.until.slice(0, 10)} (${w.by})`,
    })),
    available: true,
  };
}

/** Preparation and incidents: from the playbook register and the incident log (when they exist). */
async function readiness(
  ctx: AppContext,
  req: ChapterRequest,
  from: string,
  to: string,
): Promise<ChapterIndicator[]> {
  let register: Awaited<ReturnType<typeof listPlaybookRegister>>;
  try {
    register = await listPlaybookRegister(ctx, {
      ...(req.inventoryFile ? { inventoryFile: req.inventoryFile } : {}),
    });
  } catch {
    return unavailablePlaybooks();
  }
  // Only the organisation's own reviews count: a shipped template's date is its author's.
  const reviewed = register.filter(
    (p) => p.reviewStatus !== 'overdue' && p.reviewStatus !== 'never-reviewed',
  ).length;
  const exercised = register.filter(
    (p) =>
      p.lastExercised !== undefined &&
      p.lastExercised >= from.slice(0, 10) &&
      p.lastExercised < to.slice(0, 10),
  ).length;
  const metrics = await computeIncidentMetrics(ctx, {
    ...(req.inventoryFile ? { inventoryFile: req.inventoryFile } : {}),
    from,
    to,
  });
  const d = metrics.deadlines;
  return [
    {
      id: 'playbooks',
      title: 'Préparation : fiches réflexes revues et exercées',
      value: `${pct(reviewed, register.length)} revues à temps · ${exercised} exercée(s)`,
      comment: `${reviewed} fiche(s) réflexe(s) sur ${register.length} sont revues dans leur délai ; ${exercised} ont été exercées dans l’année.`,
      method:
        'Registre des fiches réflexes : une fiche est à jour si sa dernière revue enregistrée par l’organisation avec `vigie playbook review` date de moins que sa périodicité (la date `lastReviewed` d’un modèle livré n’est pas une revue de l’organisation : une fiche jamais revue ne compte pas) ; exercée si un exercice (`vigie playbook exercise`) a eu lieu dans l’année.',
      rows: register.map((p) => ({
        label: `${p.id} ${p.title.fr}`,
        value: `${p.lastReviewed ? `revue ${p.lastReviewed}` : 'jamais revue par l’organisation'}${p.reviewStatus === 'overdue' ? ' (en retard)' : ''} · ${p.lastExercised ? `exercée ${p.lastExercised}` : 'jamais exercée'}`,
      })),
      available: register.length > 0,
    },
    {
      id: 'incidents',
      title: 'Incidents et délais réglementaires tenus',
      value: metrics.incidents.length
        ? `${metrics.incidents.length} incident(s) · délais tenus ${metrics.deadlineCompliance === undefined ? '—' : pct(metrics.deadlineCompliance, 1)}`
        : 'aucun incident',
      comment: `${d.inTime} obligation(s) faite(s) à temps, ${d.late} en retard, ${d.overdue} dépassée(s), ${d.pending} en cours.`,
      method:
        'Incidents dont la prise de connaissance tombe dans l’année ; délais : notification CNIL sous 72 h (RGPD art. 33), alerte précoce sous 24 h, notification sous 72 h et rapport final sous un mois (NIS2 art. 23), comptés depuis la prise de connaissance ; taux = faites à temps / (faites + dépassées).',
      rows: metrics.byPlaybook.map((p) => ({
        label: `${p.playbookId} (${p.incidents})`,
        value: `médianes : prise en charge ${p.acknowledgeHours ?? '—'} h, confinement ${p.containHours ?? '—'} h, résolution ${p.resolveHours ?? '—'} h`,
      })),
      available: true,
    },
  ];
}

function unavailablePlaybooks(): ChapterIndicator[] {
  return [
    {
      id: 'playbooks',
      title: 'Préparation : fiches réflexes revues et exercées',
      value: 'non disponible',
      comment: 'Le registre des fiches réflexes n’est pas encore tenu dans vigie.',
      method:
        'Part des fiches réflexes revues dans leur délai et exercées dans l’année (à venir avec le registre des fiches).',
      available: false,
    },
    {
      id: 'incidents',
      title: 'Incidents et délais réglementaires tenus',
      value: 'non disponible',
      comment: 'Le suivi des incidents n’est pas encore tenu dans vigie.',
      method:
        'Incidents de l’année et part des notifications RGPD (72 h) et NIS2 (24 h / 72 h / un mois) faites dans les délais (à venir avec le suivi des incidents).',
      available: false,
    },
  ];
}

function unavailable(why: string): ChapterIndicator[] {
  return [
    {
      id: 'data',
      title: 'Données',
      value: 'non disponible',
      comment: `Indicateurs non calculés : ${why}.`,
      method:
        'Les indicateurs se calculent à partir des analyses enregistrées par `vigie scan` et `vigie daemon`.',
      available: false,
    },
    ...unavailablePlaybooks(),
  ];
}
