import path from 'node:path';
import type { InventoryView } from '../../app/inventory/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';
import { renderTable } from '../../report/index.js';

export default class InventoryListCommand extends BaseCommand<typeof InventoryListCommand> {
  static override summary = 'Liste les actifs de l’inventaire et leurs points d’accès.';
  static override examples = ['<%= config.bin %> inventory list', '<%= config.bin %> inventory list --json'];
  static override flags = { inventory: inventoryFlag() };

  async run(): Promise<InventoryView> {
    const { readInventory } = await import('../../app/inventory/index.js');
    const view = readInventory(path.resolve(this.flags.inventory));
    const l = this.lang;
    // The ports each asset really gets: those declared, or the web ports and the service catalogue's.
    const portsOf = (assetId: string) => [
      ...new Set(view.endpoints.filter((e) => e.assetId === assetId).map((e) => e.port)),
    ];
    const portsText = (a: (typeof view.assets)[number]) => {
      if (a.hosts.length === 0) return '—';
      const ports = portsOf(a.id);
      if (a.ports !== undefined) return ports.join(', ');
      const web = ports.filter((p) => view.webPorts.includes(p));
      return t(l, 'firstrun.inventory.default-ports', {
        web: web.join(', '),
        count: ports.length - web.length,
      });
    };
    const rows = view.assets.map((a) => [
      a.id,
      a.name,
      a.owner,
      a.criticality,
      a.hosts.map((h) => (h.address ? `${h.name} (${h.address})` : h.name)).join(', ') || '—',
      portsText(a),
      (a.domains ?? []).map((d) => d.name).join(', ') || '—',
    ]);
    this.say(`${view.organisation} — ${view.file}\n`);
    this.say(
      renderTable(
        [
          'id',
          t(l, 'inventory.asset'),
          t(l, 'inventory.owner'),
          t(l, 'inventory.criticality'),
          t(l, 'inventory.hosts'),
          t(l, 'inventory.ports'),
          t(l, 'inventory.domains'),
        ],
        rows,
      ),
    );
    return view;
  }
}
