import { Flags } from '@oclif/core';
import { SEVERITIES } from '../domain/index.js';

export const severityFlag = (summary: string) => Flags.string({ options: [...SEVERITIES], summary });

export const inventoryFlag = () =>
  Flags.string({
    char: 'i',
    summary: 'Fichier d’inventaire (vigie.yml).',
    default: 'vigie.yml',
  });

/** `--verbose` / `--quiet` of the commands that end with a summary screen (scan, demo). */
export const screenFlags = () => ({
  verbose: Flags.boolean({
    char: 'v',
    summary: 'Afficher aussi chaque constat avec sa preuve et sa correction avant le bilan.',
    exclusive: ['quiet'],
  }),
  quiet: Flags.boolean({
    char: 'q',
    summary: 'Ne rien afficher sur la sortie standard (scripts : le code de sortie suffit).',
    exclusive: ['verbose'],
  }),
});
