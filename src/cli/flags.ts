import { Flags } from '@oclif/core';
import { SEVERITIES } from '../domain/index.js';

export const severityFlag = (summary: string) => Flags.string({ options: [...SEVERITIES], summary });

export const inventoryFlag = () =>
  Flags.string({
    char: 'i',
    summary: 'Fichier d’inventaire (vigie.yml).',
    default: 'vigie.yml',
  });
