import fs from 'node:fs';
import { OperationalError } from '../../domain/index.js';
import { openPrivateAppend } from '../../files/index.js';

export interface LogFile {
  /** Appends one line (a newline is added). */
  write(line: string): void;
  close(): void;
}

/**
 * The daemon's journal as a file (`vigie daemon --log-file`), appended to, mode 0600 (an existing
 * file is made private). Rotation: `copytruncate` (the file is never reopened).
 */
export function openLogFile(file: string): LogFile {
  let fd: number;
  try {
    fd = openPrivateAppend(file);
  } catch (error) {
    throw new OperationalError(
      `journal ${file} impossible à ouvrir (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      { cause: error, hint: 'vérifiez le chemin de --log-file et les droits de son répertoire' },
    );
  }
  let open = true;
  return {
    write(line) {
      if (open) fs.writeSync(fd, `${line}\n`);
    },
    close() {
      if (!open) return;
      open = false;
      fs.closeSync(fd);
    },
  };
}
