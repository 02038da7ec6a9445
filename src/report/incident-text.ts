import type { IncidentDetail, IncidentSummary } from '../app/playbooks-incidents/index.js';
import { PLAYBOOK_PHASES } from '../domain/index.js';
import { t, type Lang, severityLabel } from '../i18n/index.js';
import { formatLocal, formatRemaining, type RegulatoryClock } from '../playbooks/index.js';
import { renderTable } from './index.js';

const local = (iso: string, timeZone: string, lang: Lang): string =>
  formatLocal(new Date(iso), timeZone, lang);

/** One clock on one line: state, title, due-at (local), then time left, delay, or when it was met. */
export function renderClock(clock: RegulatoryClock, timeZone: string, lang: Lang): string {
  const parts = [
    `[${t(lang, `clock-state.${clock.state}`)}]`,
    clock.title[lang],
    '—',
    t(lang, 'incident.clock.due-at', { at: clock.dueLocal[lang] }),
  ];
  if (clock.metAt !== undefined)
    parts.push('—', t(lang, 'incident.clock.met-at', { at: local(clock.metAt, timeZone, lang) }));
  else if (clock.remainingMs !== undefined) parts.push('—', formatRemaining(clock.remainingMs, lang));
  return parts.join(' ');
}

/** `vigie incident list` for people. */
export function renderIncidentList(
  incidents: readonly IncidentSummary[],
  timeZone: string,
  lang: Lang,
): string {
  const table = renderTable(
    [
      t(lang, 'incident.col.id'),
      t(lang, 'incident.col.severity'),
      t(lang, 'incident.col.status'),
      t(lang, 'incident.col.playbook'),
      t(lang, 'incident.col.title'),
      t(lang, 'incident.col.opened'),
      t(lang, 'incident.col.steps'),
      t(lang, 'incident.col.next-deadline'),
    ],
    incidents.map((i) => {
      const next = i.nextDeadline;
      return [
        i.id,
        severityLabel(lang, i.severity),
        t(lang, `incident-status.${i.status}`),
        i.playbookId,
        i.title,
        local(i.openedAt, timeZone, lang),
        `${i.progress.done + i.progress.skipped}/${i.progress.total}`,
        next === undefined
          ? t(lang, 'incident.no-deadline')
          : `${next.title[lang]} : ${next.dueLocal[lang]} (${
              next.remainingMs === undefined
                ? t(lang, `clock-state.${next.state}`)
                : formatRemaining(next.remainingMs, lang)
            })`,
      ];
    }),
  );
  return `${t(lang, 'incident.header', { count: incidents.length })}\n\n${table}`;
}

const STEP_MARK = { pending: '[ ]', done: '[x]', skipped: '[-]' } as const;

/** `vigie incident show` for people: header, clocks, task list by phase, notes, timeline. */
export function renderIncidentDetail(detail: IncidentDetail, lang: Lang): string {
  const { incident: i, timeZone } = detail;
  const yesNo = (v: boolean) => t(lang, v ? 'incident.yes' : 'incident.no');
  const out: string[] = [];
  out.push(
    `${i.id} — ${i.title}  [${severityLabel(lang, i.severity)}, ${t(lang, `incident-status.${i.status}`)}]`,
  );
  out.push(
    `${t(lang, 'incident.playbook')} : ${i.playbookId}${detail.playbookTitle ? ` ${detail.playbookTitle[lang]}` : ''}`,
  );
  out.push(t(lang, 'incident.aware', { at: local(i.awareAt, timeZone, lang) }));
  out.push(t(lang, 'incident.opened-by', { at: local(i.openedAt, timeZone, lang), by: i.openedBy }));
  if (i.closedAt !== undefined)
    out.push(
      t(lang, 'incident.closed-by', {
        at: local(i.closedAt, timeZone, lang),
        by: i.closedBy ?? '?',
        outcome: i.outcome ?? '',
      }),
    );
  out.push(t(lang, 'incident.flags', { personal: yesNo(i.personalData), nis2: yesNo(i.nis2Significant) }));
  if (i.fromFingerprint) out.push(t(lang, 'incident.from-finding', { fingerprint: i.fromFingerprint }));

  out.push('', t(lang, 'incident.clocks'));
  if (detail.clocks.length === 0) out.push(`  ${t(lang, 'incident.clocks.none')}`);
  for (const clock of detail.clocks) out.push(`  ${renderClock(clock, timeZone, lang)}`);

  out.push('', t(lang, 'incident.tasks', { ...detail.progress }));
  for (const phase of PLAYBOOK_PHASES) {
    const steps = i.steps.filter((s) => s.phase === phase.code);
    if (steps.length === 0) continue;
    out.push(`  ${lang === 'en' ? phase.en : phase.name}`);
    for (const s of steps) {
      const after =
        s.at === undefined
          ? ''
          : `  (${local(s.at, timeZone, lang)}, ${s.by ?? '?'}${s.note ? ` — ${s.note}` : ''})`;
      out.push(`    ${STEP_MARK[s.state]} ${s.stepId.padEnd(8)} ${s.text}${after}`);
    }
  }

  if (i.notes.length) {
    out.push('', t(lang, 'incident.notes'));
    for (const n of i.notes) out.push(`  ${local(n.at, timeZone, lang)} · ${n.by} : ${n.text}`);
  }

  out.push('', t(lang, 'incident.timeline'));
  for (const e of detail.timeline) {
    const what = [e.stepId, e.clockId, e.detail].filter(Boolean).join(' — ');
    out.push(
      `  ${local(e.at, timeZone, lang)}  ${t(lang, `incident-event.${e.kind}`)}${what ? ` — ${what}` : ''}  (${e.by})`,
    );
  }
  return out.join('\n');
}
