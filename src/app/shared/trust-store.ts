import fs from 'node:fs';
import type { X509Certificate } from 'node:crypto';
import { InvalidFileError, textIssue } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import { defaultTrustAnchors, loadTrustAnchors } from '../../probes/index.js';

/** Default roots plus the user's CA files (internal PKIs): each file must hold at least one PEM certificate. */
export function buildTrustAnchors(caFiles: readonly string[]): X509Certificate[] {
  const extra = caFiles.flatMap((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new InvalidFileError(file, [textIssue('', msg('errlang.trust.unreadable', { code }))], {
        hint: msg('errlang.trust.unreadable.hint'),
      });
    }
    const anchors = loadTrustAnchors([text]);
    if (anchors.length === 0) {
      throw new InvalidFileError(file, [textIssue('', msg('errlang.trust.no-pem'))], {
        hint: msg('errlang.trust.no-pem.hint'),
      });
    }
    return anchors;
  });
  return [...defaultTrustAnchors(), ...extra];
}
