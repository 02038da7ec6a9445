import fs from 'node:fs';
import { OperationalError } from '../../domain/index.js';
import { openPrivateAppend } from '../../files/index.js';
import { msg } from '../../i18n/index.js';

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
      msg('texts2.daemon.log-file', { file, error: (error as NodeJS.ErrnoException).code ?? String(error) }),
      { cause: error, hint: msg('texts2.daemon.log-file.hint') },
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
