import path from 'node:path';
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
    const { countInventory } = await import('../../app/inventory/index.js');
    const file = path.resolve(this.flags.inventory);
    const { assets, endpoints, domains } = countInventory(file);
    const counts = { assets, endpoints, domains };
    this.say(t(this.lang, 'inventory.valid', { file, ...counts }));
    return { valid: true, file, ...counts };
  }
}
