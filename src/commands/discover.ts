import { Flags } from '@oclif/core';
import path from 'node:path';
import type { DiscoverResult } from '../app/discover/index.js';
import { BaseCommand, inventoryFlag } from '../cli/index.js';
import { DISCOVERY_SOURCES, type DiscoverySource } from '../domain/index.js';
import { t } from '../i18n/index.js';
import { renderDiscoverText } from '../report/index.js';

export default class DiscoverCommand extends BaseCommand<typeof DiscoverCommand> {
  static override summary =
    'Découvre les points d’accès oubliés de l’inventaire et les noms abandonnés chez un fournisseur.';
  static override description = `Sources : certificats publiés (Certificate Transparency, API compatible crt.sh), DNS (NS, MX, SRV, noms courants, avec détection des zones génériques), transfert de zone (AXFR, une tentative par serveur faisant autorité), plages d’adresses déclarées (discovery.networks).
Chaque nom est résolu et classé : connu (dans l’inventaire), nouveau (inventory.unlisted), abandonné (CNAME vers une ressource disparue chez un fournisseur : dns.takeover.possible) ou non résolu.
Une source en échec est dite en échec, jamais « rien trouvé ». La découverte est enregistrée (sauf --no-save) sans compter comme une analyse.`;
  static override examples = [
    '<%= config.bin %> discover',
    '<%= config.bin %> discover --domain exemple.fr --source ct --source dns',
    '<%= config.bin %> discover --json > decouverte.json',
  ];
  static override flags = {
    inventory: inventoryFlag(),
    domain: Flags.string({
      summary: 'Domaine à explorer (répétable ; par défaut, les domaines de l’inventaire).',
      multiple: true,
    }),
    source: Flags.string({
      summary: 'Source à interroger (répétable ; par défaut toutes, network si des plages sont déclarées).',
      options: [...DISCOVERY_SOURCES],
      multiple: true,
    }),
    wordlist: Flags.string({
      summary: 'Fichier de noms à essayer sous chaque domaine (un par ligne), en plus de la liste intégrée.',
    }),
    resolver: Flags.string({ summary: 'Résolveur DNS (adresse[:port]) au lieu de dns.resolver.' }),
    timeout: Flags.integer({
      summary: 'Délai par question ou connexion, en millisecondes.',
      min: 100,
      max: 120_000,
    }),
    concurrency: Flags.integer({ summary: 'Questions DNS en parallèle.', min: 1, max: 256 }),
    save: Flags.boolean({
      summary: 'Enregistrer la découverte (--no-save pour ne rien écrire).',
      default: true,
      allowNo: true,
    }),
  };

  async run(): Promise<DiscoverResult> {
    const { discoverNames } = await import('../app/discover/index.js');
    const f = this.flags;
    const result = await discoverNames(this.ctx, {
      inventoryFile: path.resolve(f.inventory),
      save: f.save,
      ...(f.domain ? { domains: f.domain } : {}),
      ...(f.source ? { sources: f.source as DiscoverySource[] } : {}),
      ...(f.wordlist ? { wordlistFile: path.resolve(f.wordlist) } : {}),
      ...(f.resolver ? { resolver: f.resolver } : {}),
      ...(f.timeout === undefined ? {} : { timeoutMs: f.timeout }),
      ...(f.concurrency === undefined ? {} : { concurrency: f.concurrency }),
    });
    this.say(renderDiscoverText(result, this.lang));
    this.say(
      result.run.saved
        ? t(this.lang, 'discover.saved', { path: this.ctx.dataDir })
        : t(this.lang, 'discover.not-saved'),
    );
    return result;
  }
}
