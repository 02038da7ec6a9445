import { Args, Flags } from '@oclif/core';
import type { AddOrganisationResult } from '../../app/organisations/index.js';
import { BaseCommand } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class OrgAddCommand extends BaseCommand<typeof OrgAddCommand> {
  static override summary =
    'Enregistre une organisation servie par ce déploiement (ou met son entrée à jour).';
  static override description = `L’organisation est inscrite dans organisations.yml du répertoire de données (0600) ; ses
données seront dans orgs/ID de ce répertoire, ou, sur PostgreSQL, dans le schéma org_ID. Sur PostgreSQL,
la commande crée aussi ce schéma et deux rôles sans connexion : vigie_ID_reader (lecture seule) et
vigie_ID_writer (lecture et écriture), sans aucun droit sur les schémas des autres organisations ; le
rôle de lecture est ajouté au rôle vigie_group_GROUPE_reader de chacun de ses groupes.`;
  static override examples = [
    '<%= config.bin %> org add metropole --inventory /etc/vigie/metropole.yml --name "Métropole" --group metropole',
    '<%= config.bin %> org add commune-a --inventory /etc/vigie/commune-a.yml --group metropole',
  ];
  static override args = {
    id: Args.string({
      required: true,
      description: 'Identifiant : lettres minuscules, chiffres et tirets (40 au plus).',
    }),
  };
  static override flags = {
    inventory: Flags.string({
      char: 'i',
      required: true,
      summary: 'Inventaire de l’organisation (son vigie.yml).',
    }),
    name: Flags.string({ summary: 'Nom affiché (par défaut celui de son inventaire).' }),
    group: Flags.string({
      summary: 'Groupe dont la vue consolidée la comprend (répétable).',
      multiple: true,
    }),
  };
  static override selectsOrganisation = false;

  async run(): Promise<AddOrganisationResult> {
    const { addOrganisation } = await import('../../app/organisations/index.js');
    const done = await addOrganisation(this.ctx, {
      id: this.args.id,
      inventory: this.flags.inventory,
      ...(this.flags.name === undefined ? {} : { name: this.flags.name }),
      groups: this.flags.group ?? [],
    });
    const l = this.lang;
    const o = done.organisation;
    this.say(
      t(l, done.updated ? 'orgs.updated' : 'orgs.added', {
        id: o.id,
        registry: done.registry,
        inventory: o.inventory,
      }),
    );
    if (o.groups.length > 0) this.say(t(l, 'orgs.groups', { groups: o.groups.join(', ') }));
    if (done.postgres)
      this.say(
        t(l, 'orgs.pg.granted', {
          schema: done.postgres.schema,
          reader: done.postgres.reader,
          writer: done.postgres.writer,
        }),
      );
    return done;
  }
}
