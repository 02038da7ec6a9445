import {
  atLeast,
  GithubConfigError,
  GithubError,
  OperationalError,
  PublicRepositoryError,
  type Incident,
  type ReportFinding,
  type Severity,
} from '../../domain/index.js';
import { loadConfig, type VigieConfig } from '../../config/index.js';
import { createGithubClient, type GithubClient, type GithubIssue } from '../../github/index.js';
import { msg } from '../../i18n/index.js';
import { type GithubLink, type LeaseHolder, type Store } from '../../store/index.js';
import type { AppContext } from '../shared/context.js';
import { openAppStore, withDataStore } from '../shared/data-store.js';
import { withLease } from '../shared/lease.js';
import {
  incidentIssueBody,
  incidentIssueTitle,
  incidentLabels,
  tickedSteps,
} from '../../report/github-incident-text.js';
import {
  findingIssueBody,
  findingIssueTitle,
  findingLabels,
  issueContentHash,
  markersIn,
} from '../../report/github-issue-text.js';
import { incidentClocks, markIncidentStep } from '../playbooks-incidents/index.js';
import { organisationTimeZone } from '../shared/organisation-time.js';
import { listFindings } from '../findings/index.js';

export const GITHUB_TOKEN_ENV = 'VIGIE_GITHUB_TOKEN';

export type GithubActionKind = 'create' | 'update' | 'close' | 'reopen' | 'comment';

/** One call vigie makes (or, with --dry-run, would make) on GitHub. */
export interface GithubAction {
  kind: GithubActionKind;
  /** `finding:<fingerprint>` or `incident:<id>`. */
  subject: string;
  /** Absent for a creation. */
  issueNumber?: number;
  title: string;
  /** Why (the finding's status, the comment's first line …). */
  reason: string;
  /** Carried out (false in a dry run, or after a failure). */
  done: boolean;
}

/** A box ticked in GitHub, read back into the incident's step state. */
export interface StepFromGithub {
  incidentId: string;
  stepId: string;
  issueNumber: number;
  done: boolean;
}

export interface GithubSyncResult {
  repository: string;
  dryRun: boolean;
  minSeverity: Severity;
  /** Issues found by their hidden marker that the local map did not know (e.g. after a lost database). */
  recovered: number;
  stepsFromGithub: StepFromGithub[];
  actions: GithubAction[];
}

export interface GithubSyncRequest {
  inventoryFile: string;
  dryRun?: boolean;
  minSeverity?: Severity;
  allowPublic?: boolean;
  env?: NodeJS.ProcessEnv;
  warn?: (message: string) => void;
  /** Holder of the lease `github-sync` (a random one by default): a queue job names its attempt. */
  leaseOwner?: string;
  /**
   * The lease's length, renewed every third of it while the synchronisation runs (a queue job: short,
   * so that the lease of an attempt that died is free soon); GITHUB_SYNC_LEASE_MS, not renewed, by default.
   */
  leaseMs?: number;
}

/** Another process holds the lease `github-sync` (a synchronisation under way elsewhere). */
export class GithubSyncBusyError extends OperationalError {
  override name = 'GithubSyncBusyError';
  constructor(
    message: ConstructorParameters<typeof OperationalError>[0],
    readonly holder: LeaseHolder,
    options: ConstructorParameters<typeof OperationalError>[1],
  ) {
    super(message, options);
  }
}

interface Planned {
  action: GithubAction;
  run: (client: GithubClient, store: Store) => Promise<void>;
}

type GithubSettings = NonNullable<VigieConfig['github']>;

function githubSettings(inventoryFile: string): { config: VigieConfig; github: GithubSettings } {
  const config = loadConfig(inventoryFile);
  if (!config.github) {
    throw new GithubConfigError(msg('errlang.github.no-section', { file: inventoryFile }), {
      hint: msg('errlang.github.no-section.hint'),
    });
  }
  return { config, github: config.github };
}

function defaultClient(github: GithubSettings, req: GithubSyncRequest): GithubClient {
  const token = (req.env ?? process.env)[GITHUB_TOKEN_ENV]?.trim();
  if (!token) {
    throw new GithubConfigError(msg('errlang.github.no-token', { variable: GITHUB_TOKEN_ENV }), {
      hint: msg('errlang.github.no-token.hint', { repository: github.repository }),
    });
  }
  return createGithubClient({
    repository: github.repository,
    apiUrl: github.apiUrl,
    allowInsecureLoopback: github.allowInsecureLoopback,
    token,
    ...(req.warn ? { warn: req.warn } : {}),
  });
}

/** Issues by subject: the local map first (by number), else the hidden marker (lowest number wins). */
function issuesBySubject(issues: readonly GithubIssue[], links: readonly GithubLink[]) {
  const byNumber = new Map(issues.map((i) => [i.number, i]));
  const byMarker = new Map<string, GithubIssue>();
  for (const issue of [...issues].sort((a, b) => a.number - b.number)) {
    for (const subject of markersIn(issue.body)) if (!byMarker.has(subject)) byMarker.set(subject, issue);
  }
  const linked = new Map(links.map((l) => [l.subject, l]));
  return {
    linked,
    find(subject: string): { issue?: GithubIssue; link?: GithubLink; recovered: boolean } {
      const link = linked.get(subject);
      const issue = (link ? byNumber.get(link.issueNumber) : undefined) ?? byMarker.get(subject);
      return {
        ...(issue ? { issue } : {}),
        ...(link ? { link } : {}),
        recovered: issue !== undefined && link?.issueNumber !== issue.number,
      };
    },
  };
}

interface Desired {
  subject: string;
  kind: GithubLink['kind'];
  open: boolean;
  title: string;
  body: string;
  labels: string[];
  /** Status shown in the plan. */
  status: string;
  /** Comment when vigie closes the issue. */
  closeComment: string;
  /** Comment when vigie reopens it. */
  reopenComment: string;
}

function planSubject(
  d: Desired,
  found: { issue?: GithubIssue; link?: GithubLink },
  at: () => string,
): Planned[] {
  const hash = issueContentHash(d.title, d.body);
  const record = (store: Store, issueNumber: number, state: GithubLink['state']) =>
    store.githubLinks.save({
      subject: d.subject,
      kind: d.kind,
      issueNumber,
      bodyHash: hash,
      state,
      updatedAt: at(),
    });
  const action = (kind: GithubActionKind, reason: string, issueNumber?: number): GithubAction => ({
    kind,
    subject: d.subject,
    ...(issueNumber === undefined ? {} : { issueNumber }),
    title: d.title,
    reason,
    done: false,
  });
  const number = found.issue?.number ?? found.link?.issueNumber;
  if (number === undefined) {
    if (!d.open) return [];
    return [
      {
        action: action('create', d.status),
        run: async (client, store) => {
          const issue = await client.createIssue({ title: d.title, body: d.body, labels: d.labels });
          await record(store, issue.number, 'open');
        },
      },
    ];
  }
  const state = found.issue?.state ?? found.link?.state ?? 'open';
  const currentHash = found.issue
    ? issueContentHash(found.issue.title, found.issue.body)
    : found.link?.bodyHash;
  const changed = currentHash !== hash;
  const content = changed ? { title: d.title, body: d.body, labels: d.labels } : {};
  if (d.open && state === 'closed') {
    return [
      {
        action: action('reopen', d.status, number),
        run: async (client, store) => {
          await client.updateIssue(number, { state: 'open', ...content });
          await record(store, number, 'open');
        },
      },
      {
        action: action('comment', d.reopenComment.split('\n')[0] ?? '', number),
        run: (client) => client.createComment(number, d.reopenComment),
      },
    ];
  }
  if (!d.open && state === 'open') {
    return [
      {
        action: action('comment', d.closeComment.split('\n')[0] ?? '', number),
        run: (client) => client.createComment(number, d.closeComment),
      },
      {
        action: action('close', d.status, number),
        run: async (client, store) => {
          await client.updateIssue(number, { state: 'closed', ...content });
          await record(store, number, 'closed');
        },
      },
    ];
  }
  if (d.open && changed) {
    return [
      {
        action: action('update', d.status, number),
        run: async (client, store) => {
          await client.updateIssue(number, content);
          await record(store, number, 'open');
        },
      },
    ];
  }
  return [];
}

async function findingDesired(f: ReportFinding, prefix: string, store: Store): Promise<Desired> {
  const where = `${f.host}:${f.port}`;
  let closeComment: string;
  if (f.status === 'waived' && f.waiver) {
    closeComment = [
      `**Dérogation accordée** par ${f.waiver.by} le ${f.waiver.waivedAt}, valable jusqu’au ${f.waiver.until}.`,
      '',
      `Motif : ${f.waiver.reason}`,
      '',
      'Le ticket sera rouvert par vigie à l’expiration de la dérogation si le constat est toujours présent.',
    ].join('\n');
  } else {
    const resolved = (await store.findings.timeline(f.fingerprint))
      .filter((e) => e.kind === 'resolved')
      .at(-1);
    closeComment = [
      `**Corrigé** : l’analyse du ${f.resolvedAt ?? resolved?.at ?? '?'}${resolved?.runId ? ` (exécution ${resolved.runId})` : ''} a évalué \`${where}\` et le contrôle \`${f.checkId}\` est passé.`,
      '',
      `Dernière observation du défaut : ${f.lastSeen}.`,
    ].join('\n');
  }
  const reopenComment =
    f.status === 'regressed'
      ? `**Régression** : le constat est réapparu lors de l’analyse du ${f.lastSeen} sur \`${where}\`.\n\nConstat : ${f.evidence}`
      : `**Constat toujours présent** (dérogation expirée ou retirée, ou ticket fermé hors de vigie) : dernière observation le ${f.lastSeen} sur \`${where}\`.\n\nConstat : ${f.evidence}`;
  return {
    subject: `finding:${f.fingerprint}`,
    kind: 'finding',
    open: f.status === 'new' || f.status === 'open' || f.status === 'regressed',
    title: findingIssueTitle(f),
    body: findingIssueBody(f),
    labels: findingLabels(f, prefix),
    status: f.status,
    closeComment,
    reopenComment,
  };
}

function incidentDesired(i: Incident, prefix: string, now: Date, timeZone: string): Desired {
  return {
    subject: `incident:${i.id}`,
    kind: 'incident',
    open: i.status === 'open',
    title: incidentIssueTitle(i),
    body: incidentIssueBody(i, incidentClocks(i, now, timeZone)),
    labels: incidentLabels(i, prefix),
    status: i.status,
    closeComment: `**Incident clos** le ${i.closedAt ?? '?'} par ${i.closedBy ?? '?'}.\n\nBilan : ${i.outcome ?? '—'}`,
    reopenComment: `**L’incident ${i.id} est toujours ouvert dans vigie** : le ticket est rouvert.`,
  };
}

/**
 * Mirrors findings (at or above the minimum severity) and incidents to GitHub issues, and reads
 * back the boxes ticked in incident issues. Plans first; unless `dryRun`, carries the plan out call
 * by call, recording each call that succeeded in the local map, so that a failed sync converges on
 * the next one.
 */
/** How long a GitHub synchronisation may hold its lease (a process that died frees it then). */
export const GITHUB_SYNC_LEASE_MS = 30 * 60_000;

/**
 * Mirrors findings and incidents to GitHub. Of the processes sharing a store, one synchronises at a
 * time (a lease in the database): two would both create the issue of a new finding.
 */
export async function syncGithub(ctx: AppContext, req: GithubSyncRequest): Promise<GithubSyncResult> {
  if (req.dryRun === true) return syncGithubNow(ctx, req);
  return withLease(
    ctx,
    'github-sync',
    req.leaseMs ?? GITHUB_SYNC_LEASE_MS,
    (holder) =>
      new GithubSyncBusyError(
        msg('lease.github.busy', { owner: holder.owner, until: holder.until }),
        holder,
        {
          hint: msg('lease.github.busy.hint'),
        },
      ),
    () => syncGithubNow(ctx, req),
    req.leaseOwner,
    req.leaseMs === undefined ? undefined : Math.max(1, Math.floor(req.leaseMs / 3)),
  );
}

async function syncGithubNow(ctx: AppContext, req: GithubSyncRequest): Promise<GithubSyncResult> {
  const { config, github } = githubSettings(req.inventoryFile);
  const client = ctx.github ?? defaultClient(github, req);
  const dryRun = req.dryRun ?? false;
  const minSeverity = req.minSeverity ?? github.minSeverity;
  const prefix = github.labelPrefix;
  const timeZone = organisationTimeZone(config);
  const at = () => ctx.clock.now().toISOString();

  const repository = await client.getRepository();
  if (!repository.private && !req.allowPublic) {
    throw new PublicRepositoryError(msg('errlang.github.public', { repository: github.repository }), {
      hint: msg('errlang.github.public.hint'),
    });
  }
  const remote = await client.listIssues(prefix);

  // 1. Boxes ticked in GitHub → the incidents' step state.
  const links0 = await withDataStore(ctx, (store) => store.githubLinks.list());
  const index0 = issuesBySubject(remote, links0);
  const incidents0 = await withDataStore(ctx, (store) => store.incidents.list({ status: ['open'] }));
  const stepsFromGithub: StepFromGithub[] = [];
  for (const incident of incidents0) {
    const { issue } = index0.find(`incident:${incident.id}`);
    if (!issue) continue;
    const ticked = tickedSteps(issue.body);
    for (const step of incident.steps) {
      if (step.state !== 'pending' || !ticked.has(step.stepId)) continue;
      stepsFromGithub.push({
        incidentId: incident.id,
        stepId: step.stepId,
        issueNumber: issue.number,
        done: false,
      });
      if (dryRun) step.state = 'done';
    }
  }
  if (!dryRun) {
    for (const s of stepsFromGithub) {
      await markIncidentStep(ctx, s.incidentId, s.stepId, 'done', {
        by: 'github',
        note: `case cochée dans le ticket GitHub #${s.issueNumber}`,
        inventoryFile: req.inventoryFile,
      });
      s.done = true;
    }
  }

  // 2. The plan.
  const findings = (
    await listFindings(
      { ...ctx, lang: 'fr' },
      { status: ['new', 'open', 'regressed', 'waived', 'resolved'], inventoryFile: req.inventoryFile },
    )
  ).filter((f) => atLeast(f.severity, minSeverity));
  const store = await openAppStore(ctx);
  try {
    const index = issuesBySubject(remote, await store.githubLinks.list());
    const incidents = await store.incidents.list();
    if (dryRun) {
      for (const i of incidents) {
        for (const step of i.steps) {
          if (stepsFromGithub.some((s) => s.incidentId === i.id && s.stepId === step.stepId))
            step.state = 'done';
        }
      }
    }
    const now = ctx.clock.now();
    const desired: Desired[] = [];
    for (const f of findings) desired.push(await findingDesired(f, prefix, store));
    desired.push(...incidents.map((i) => incidentDesired(i, prefix, now, timeZone)));
    let recovered = 0;
    const planned: Planned[] = [];
    for (const d of desired) {
      const found = index.find(d.subject);
      if (found.recovered && found.issue) {
        recovered += 1;
        if (!dryRun) {
          await store.githubLinks.save({
            subject: d.subject,
            kind: d.kind,
            issueNumber: found.issue.number,
            bodyHash: issueContentHash(found.issue.title, found.issue.body),
            state: found.issue.state,
            updatedAt: at(),
          });
        }
      }
      planned.push(...planSubject(d, found, at));
    }
    const result: GithubSyncResult = {
      repository: repository.fullName,
      dryRun,
      minSeverity,
      recovered,
      stepsFromGithub,
      actions: planned.map((p) => p.action),
    };
    if (dryRun || planned.length === 0) return result;

    // 3. Carry it out, call by call.
    const labels = new Set(desired.filter((d) => d.open).flatMap((d) => d.labels));
    await client.ensureLabels([...labels]);
    for (const p of planned) {
      try {
        await p.run(client, store);
      } catch (error) {
        if (!(error instanceof GithubError)) throw error;
        const done = planned.filter((q) => q.action.done).length;
        throw new GithubError(
          `${error.message}\n${done} action(s) sur ${planned.length} effectuée(s) avant l’échec ; l’état local ne garde que celles-ci`,
          error.status,
          { hint: 'relancez `vigie github sync` : la synchronisation reprendra où elle s’est arrêtée' },
        );
      }
      p.action.done = true;
    }
    return result;
  } finally {
    await store.close();
  }
}
