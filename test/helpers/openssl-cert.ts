import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface OpensslCert {
  keyPem: string;
  certPem: string;
  der: Buffer;
}

/**
 * A self-signed certificate made by the OpenSSL command line (not by vigie's own code), with extra
 * `-addext` extensions written as given: `2.5.29.17=DER:3003020101` puts bytes that do not decode
 * as GeneralNames in the subjectAltName extension.
 */
export function opensslSelfSigned(commonName: string, addext: readonly string[] = []): OpensslCert {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-openssl-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '30',
        '-subj',
        `/CN=${commonName}`,
        ...addext.flatMap((e) => ['-addext', e]),
      ],
      { stdio: 'ignore', timeout: 20_000 },
    );
    const certPem = fs.readFileSync(cert, 'utf8');
    const base64 = certPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    return { keyPem: fs.readFileSync(key, 'utf8'), certPem, der: Buffer.from(base64, 'base64') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** subjectAltName bytes that are DER but not GeneralNames: SEQUENCE { INTEGER 1 }. */
export const UNDECODABLE_SAN = '2.5.29.17=DER:3003020101';
