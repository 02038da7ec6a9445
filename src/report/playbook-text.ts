import type { PlaybookDetail, PlaybookRegisterEntry } from '../app/playbooks-incidents/index.js';
import { PLAYBOOK_PHASES, type PlaybookObligation } from '../domain/index.js';
import { t, type Lang, type MessageKey } from '../i18n/index.js';
import { renderTable } from './index.js';

/** `vigie playbook list` for people: a count by status, then one line per playbook. */
export function renderPlaybookRegister(entries: readonly PlaybookRegisterEntry[], lang: Lang): string {
  const count = (status: PlaybookRegisterEntry['status']) =>
    entries.filter((e) => e.status === status).length;
  const header = t(lang, 'playbook.header', {
    count: entries.length,
    ok: count('ok'),
    due: count('due'),
    overdue: count('overdue'),
    never: count('never-exercised'),
  });
  const table = renderTable(
    [
      t(lang, 'playbook.col.id'),
      t(lang, 'playbook.col.title'),
      t(lang, 'playbook.col.owner'),
      t(lang, 'playbook.col.last-reviewed'),
      t(lang, 'playbook.col.next-review'),
      t(lang, 'playbook.col.last-exercised'),
      t(lang, 'playbook.col.status'),
    ],
    entries.map((e) => [
      e.id,
      e.title[lang],
      e.owner,
      e.lastReviewed ?? t(lang, 'playbook.neverReviewed'),
      e.nextReviewDue,
      e.lastExercised ?? '—',
      t(lang, `playbook-status.${e.status}`),
    ]),
  );
  const never = count('never-reviewed');
  return never > 0
    ? `${header}\n${t(lang, 'playbook.neverReviewedCount', { count: never })}\n\n${table}`
    : `${header}\n\n${table}`;
}

const obligationKey = (o: PlaybookObligation): MessageKey => `obligation.${o}`;

/** `vigie playbook show` for people: the playbook rendered as a checklist by phase, then its register. */
export function renderPlaybookDetail(detail: PlaybookDetail, lang: Lang): string {
  const { playbook: p, register: r } = detail;
  const out: string[] = [];
  out.push(`${p.id} — ${p.title[lang]}`);
  out.push(`${t(lang, 'playbook.when')} : ${p.summary[lang]}`);
  out.push(
    t(lang, 'playbook.register', {
      owner: p.owner,
      every: r.reviewEvery,
      last: r.lastReviewed ?? t(lang, 'playbook.neverReviewed'),
      next: r.nextReviewDue,
      status: t(lang, `playbook-status.${r.status}`),
    }),
  );
  out.push(`${t(lang, 'playbook.incident-types')} : ${p.incidentTypes.join(', ')}`);
  out.push(`${t(lang, 'playbook.triggers')} : ${p.triggers.length ? p.triggers.join(', ') : '—'}`);
  out.push(
    `${t(lang, 'playbook.obligations')} : ${
      p.obligations.length ? p.obligations.map((o) => `${o} (${t(lang, obligationKey(o))})`).join(' ; ') : '—'
    }`,
  );
  out.push('', `${t(lang, 'playbook.contacts')} :`);
  for (const c of p.contacts) out.push(`  - ${c.role} : ${c.for}`);
  for (const phase of p.phases) {
    const label = PLAYBOOK_PHASES.find((ph) => ph.code === phase.code);
    out.push('', `## ${lang === 'en' ? (label?.en ?? phase.name) : phase.name}`);
    if (phase.intro) out.push(...phase.intro.split('\n').map((line) => `   ${line}`.trimEnd()));
    for (const step of phase.steps) out.push(`  [ ] ${step.id.padEnd(8)} ${step.text}`);
  }
  out.push('', `${t(lang, 'playbook.references')} :`);
  for (const ref of p.references) out.push(`  - ${ref}`);
  if (detail.reviews.length) {
    out.push('', `${t(lang, 'playbook.reviews')} :`);
    for (const rev of detail.reviews)
      out.push(
        `  - ${t(lang, 'playbook.review.line', { date: rev.at.slice(0, 10), by: rev.by, notes: rev.notes ? ` — ${rev.notes}` : '' })}`,
      );
  }
  if (detail.exercises.length) {
    out.push('', `${t(lang, 'playbook.exercises')} :`);
    for (const e of detail.exercises)
      out.push(
        `  - ${t(lang, 'playbook.exercise.line', {
          date: e.date,
          kind: t(lang, `exercise-kind.${e.kind}`),
          participants: e.participants,
          by: e.by,
          findings: e.findings,
        })}`,
      );
  }
  return out.join('\n');
}
