import path from 'node:path';
import type { InventoryView } from '../../app/inventory/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class InventoryValidateCommand extends BaseCommand<typeof InventoryValidateCommand> {
  static override summary =
    'Vérifie vigie.yml : tous les problèmes d’un coup, avec leur chemin et leur ligne.';
  static override description = 'Code de sortie 3 si le fichier est invalide ; rien n’est écrit.';
  static override examples = [
    '<%= config.bin %> inventory validate',
    '<%= config.bin %> inventory validate -i autre.yml --json',
  ];
  static override flags = { inventory: inventoryFlag() };

  async run(): Promise<{ valid: true; file: string; assets: number; endpoints: number; domains: number }> {
    const { readInventory } = await import('../../app/inventory/index.js');
    const file = path.resolve(this.flags.inventory);
    const view: InventoryView = readInventory(file);
    const counts = {
      assets: view.assets.length,
      endpoints: view.endpoints.length,
      domains: view.domains.length,
    };
    this.say(t(this.lang, 'inventory.valid', { file, ...counts }));
    return { valid: true, file, ...counts };
  }
}
