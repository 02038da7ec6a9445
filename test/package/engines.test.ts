import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { engineProblems, lowestSupported, productionPackages } from '../../scripts/check-engines.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A package directory with the given manifest. */
function writePackage(dir: string, manifest: Record<string, unknown>): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
}

describe('the Node versions our dependencies accept', () => {
  it('every installed production dependency runs on the lowest Node of each range of engines.node', () => {
    const own = (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
    ).engines.node;
    const versions = lowestSupported(own);
    expect(versions).toContain('20.19.0');
    const { packages, missing } = productionPackages(ROOT);
    expect(missing).toEqual([]);
    // The walk reaches the deep ones (the GitHub client's HTTP layer), not only the direct dependencies.
    expect(packages.map((p) => p.name)).toEqual(
      expect.arrayContaining(['@octokit/rest', '@octokit/request']),
    );
    expect(engineProblems(packages, versions).map((p) => p.message)).toEqual([]);
  });

  it('names a nested dependency that needs a newer Node, with the path that brings it, and a missing one', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-engines-'));
    onTestFinished(() => fs.rmSync(root, { recursive: true, force: true }));
    writePackage(root, {
      name: 'app',
      engines: { node: '>=20.19 <21 || >=22' },
      dependencies: { client: '1.0.0', absent: '1.0.0' },
      devDependencies: { 'dev-only': '1.0.0' },
    });
    writePackage(path.join(root, 'node_modules/client'), {
      name: 'client',
      version: '1.0.0',
      engines: { node: '>= 20' },
      dependencies: { parser: '^3.0.0' },
      peerDependencies: { core: '*' },
    });
    // Hoisted parser@1 for someone else; the client has its own parser@3 nested, as npm lays it out.
    writePackage(path.join(root, 'node_modules/parser'), { name: 'parser', version: '1.0.0' });
    writePackage(path.join(root, 'node_modules/client/node_modules/parser'), {
      name: 'parser',
      version: '3.1.1',
      engines: { node: '>=22' },
    });
    writePackage(path.join(root, 'node_modules/core'), {
      name: 'core',
      version: '7.0.0',
      engines: { node: '^20.19.0 || >=22.12.0' },
    });
    writePackage(path.join(root, 'node_modules/dev-only'), { name: 'dev-only', engines: { node: '>=24' } });

    const { packages, missing } = productionPackages(root);
    expect(packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual([
      'client@1.0.0',
      'core@7.0.0',
      'parser@3.1.1',
    ]);
    expect(missing).toEqual(['absent (requis par app)']);
    const problems = engineProblems(packages, lowestSupported('>=20.19 <21 || >=22'));
    expect(problems.map((p) => [p.pkg.name, p.pkg.dir, p.excludes, p.pkg.via])).toEqual([
      [
        'parser',
        path.join('node_modules', 'client', 'node_modules', 'parser'),
        ['20.19.0'],
        ['app', 'client'],
      ],
      ['core', path.join('node_modules', 'core'), ['22.0.0'], ['app', 'client']],
    ]);
  });
});
