import fs from 'node:fs';
import type { X509Certificate } from 'node:crypto';
import { InvalidFileError } from '../../domain/index.js';
import { defaultTrustAnchors, loadTrustAnchors } from '../../probes/index.js';

/** Default roots plus the user's CA files (internal PKIs): each file must hold at least one PEM certificate. */
export function buildTrustAnchors(caFiles: readonly string[]): X509Certificate[] {
  const extra = caFiles.flatMap((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new InvalidFileError(
        file,
        [
          {
            path: '',
            message: `fichier d’autorité illisible (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
          },
        ],
        {
          hint: 'vérifiez le chemin passé à --ca ou dans trust.caFiles',
        },
      );
    }
    const anchors = loadTrustAnchors([text]);
    if (anchors.length === 0) {
      throw new InvalidFileError(
        file,
        [{ path: '', message: 'aucun certificat PEM (-----BEGIN CERTIFICATE-----) dans ce fichier' }],
        {
          hint: 'passez un fichier PEM contenant la racine de votre IGC',
        },
      );
    }
    return anchors;
  });
  return [...defaultTrustAnchors(), ...extra];
}
