import { createRequire } from 'node:module';

function packageVersion(): string {
  try {
    // src/probes/http and dist/probes/http both sit three levels below the package root.
    const pkg = createRequire(import.meta.url)('../../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0';
  } catch {
    return '0';
  }
}

/** Sent with every request, so that administrators can recognise (and allow-list) the scanner. */
export const USER_AGENT = `vigie/${packageVersion()} (+security scanner)`;
