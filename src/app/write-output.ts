import fs from 'node:fs';
import path from 'node:path';
import { OperationalError } from '../domain/index.js';

/** Writes a report file atomically (temporary file, then rename): a failed write leaves no half file. */
export function writeOutput(file: string, content: string): string {
  const target = path.resolve(file);
  const temp = `${target}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(temp, content);
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new OperationalError(
      `impossible d’écrire ${target} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      {
        cause: error,
        hint: 'vérifiez le chemin de --output et les droits du répertoire',
      },
    );
  }
  return target;
}
