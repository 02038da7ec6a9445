import { Args } from '@oclif/core';
import path from 'node:path';
import type { FindingDetail } from '../../app/findings/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { endpointKey } from '../../domain/index.js';
import { t, severityLabel } from '../../i18n/index.js';

export default class FindingsShowCommand extends BaseCommand<typeof FindingsShowCommand> {
  static override summary = 'Montre un constat : preuve, correction, dérogation et chronologie complète.';
  static override examples = [
    '<%= config.bin %> findings show 3f2a9c0d1e4b5a6c7d8e',
    '<%= config.bin %> findings show 3f2a9c0d1e4b5a6c7d8e --json',
  ];
  static override args = {
    fingerprint: Args.string({
      required: true,
      description: 'Empreinte du constat (colonne « Empreinte » de findings list).',
    }),
  };
  static override flags = { inventory: inventoryFlag() };

  async run(): Promise<FindingDetail> {
    const { showFinding } = await import('../../app/findings/index.js');
    const detail = await showFinding(this.ctx, this.args.fingerprint, path.resolve(this.flags.inventory));
    const { finding: f } = detail;
    const l = this.lang;
    this.say(
      `${f.title} — ${endpointKey(f)}  [${severityLabel(l, f.severity)}, ${t(l, `finding-status.${f.status}`)}]`,
    );
    this.say(`${f.checkId} · ${f.fingerprint}${f.owner ? ` · ${f.owner}` : ''}`);
    this.say(`${t(l, 'finding.evidence')} : ${f.evidence}`);
    this.say(`${t(l, 'finding.remediation')} : ${f.remediation}`);
    if (f.waiver)
      this.say(
        t(l, 'finding.waived', {
          reason: f.waiver.reason,
          until: f.waiver.until.slice(0, 10),
          by: f.waiver.by,
        }),
      );
    this.say('');
    this.say(t(l, 'finding.timeline'));
    for (const e of detail.timeline) {
      this.say(
        `  ${e.at.slice(0, 16).replace('T', ' ')}  ${t(l, `event.${e.kind}`)}${e.detail ? ` — ${e.detail}` : ''}${e.runId ? `  (${e.runId})` : ''}`,
      );
    }
    return detail;
  }
}
