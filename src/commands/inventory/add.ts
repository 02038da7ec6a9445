import { Args, Flags } from '@oclif/core';
import path from 'node:path';
import type { AddNamesResult } from '../../app/inventory/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class InventoryAddCommand extends BaseCommand<typeof InventoryAddCommand> {
  static override summary = 'Ajoute des points d’accès découverts à vigie.yml, en gardant ses commentaires.';
  static override description = `Ajoute les noms donnés (ou, avec --all-new, tous les noms « nouveaux » des découvertes enregistrées) aux hôtes de l’actif --asset ; s’il n’existe pas, l’actif est créé avec le responsable « à qualifier » (sans --asset : l’actif « decouverts »).
Le fichier garde ses commentaires et sa mise en page ; il est validé avant d’être écrit, et rien n’est écrit s’il changerait autre chose que les noms ajoutés.`;
  static override examples = [
    '<%= config.bin %> inventory add recette.exemple.fr --asset portail',
    '<%= config.bin %> inventory add --all-new --asset a-qualifier',
  ];
  static override strict = false;
  static override args = {
    names: Args.string({ description: 'Noms d’hôtes à ajouter (plusieurs possibles)' }),
  };
  static override flags = {
    inventory: inventoryFlag(),
    asset: Flags.string({ summary: 'Actif qui reçoit les noms (créé s’il n’existe pas).' }),
    'all-new': Flags.boolean({
      summary: 'Tous les noms classés « nouveau » par vigie discover.',
      default: false,
    }),
    'dry-run': Flags.boolean({ summary: 'Dire ce qui serait ajouté sans écrire.', default: false }),
  };

  async run(): Promise<AddNamesResult> {
    const { addDiscoveredNames } = await import('../../app/inventory/index.js');
    const result = await addDiscoveredNames(this.ctx, {
      inventoryFile: path.resolve(this.flags.inventory),
      names: this.positionals,
      allNew: this.flags['all-new'],
      dryRun: this.flags['dry-run'],
      ...(this.flags.asset ? { assetId: this.flags.asset } : {}),
    });
    this.say(
      result.added.length > 0
        ? t(this.lang, 'inventory.add.added', {
            count: result.added.length,
            file: result.file,
            asset: result.asset,
            names: result.added.join(', '),
          })
        : t(this.lang, 'inventory.add.nothing', { reason: result.alreadyListed.join(', ') }),
    );
    return result;
  }
}
