// npm run check:engines [-- DIR]: every production dependency installed under DIR (default: this
// repository; .ci/run also passes the package installed from the tarball) must accept the lowest
// Node version of each range of our own `engines.node` (today 20.19.0 and 22.0.0). Walks the
// dependency graph as Node resolves it (nested node_modules first, then the parents'), from the
// package's `dependencies`, `optionalDependencies` and installed `peerDependencies`; exit 1 when a
// package's `engines.node` excludes one of those versions or a required dependency is missing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

interface Manifest {
  name?: string;
  version?: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface InstalledPackage {
  name: string;
  version: string;
  /** Directory of the package, relative to the root given. */
  dir: string;
  /** `engines.node`, when the package declares one. */
  node?: string;
  /** How the root reaches it: `vigie > @octokit/rest > …`. */
  via: string[];
}

export interface EngineProblem {
  pkg: InstalledPackage;
  /** The Node versions its `engines.node` excludes (empty for a missing dependency). */
  excludes: string[];
  message: string;
}

const readManifest = (dir: string): Manifest =>
  JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;

/** Where Node would find `name` from a package in `from`: its node_modules, then each parent's. */
function resolvePackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The lowest version of each `||` range of `engines.node` (">=20.19 <21 || >=22" → 20.19.0, 22.0.0). */
export function lowestSupported(range: string): string[] {
  return range
    .split('||')
    .map((part) => semver.minVersion(part.trim())?.version)
    .filter((v): v is string => v !== undefined);
}

/** Every production package reachable from the package in `root`, once each, in walk order. */
export function productionPackages(root: string): { packages: InstalledPackage[]; missing: string[] } {
  const rootDir = fs.realpathSync(root);
  const seen = new Map<string, InstalledPackage>();
  const missing: string[] = [];
  const queue: { dir: string; via: string[] }[] = [{ dir: rootDir, via: [] }];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    const manifest = readManifest(item.dir);
    const name = manifest.name ?? path.basename(item.dir);
    const via = [...item.via, name];
    const optionalPeers = manifest.peerDependenciesMeta ?? {};
    const edges: [string, boolean][] = [
      ...Object.keys(manifest.dependencies ?? {}).map((n): [string, boolean] => [n, true]),
      ...Object.keys(manifest.optionalDependencies ?? {}).map((n): [string, boolean] => [n, false]),
      ...Object.keys(manifest.peerDependencies ?? {}).map((n): [string, boolean] => [
        n,
        optionalPeers[n]?.optional !== true,
      ]),
    ];
    for (const [dep, required] of edges) {
      const dir = resolvePackage(dep, item.dir);
      if (dir === undefined) {
        if (required) missing.push(`${dep} (requis par ${via.join(' > ')})`);
        continue;
      }
      if (seen.has(dir)) continue;
      const depManifest = readManifest(dir);
      seen.set(dir, {
        name: dep,
        version: depManifest.version ?? '?',
        dir: path.relative(rootDir, dir) || '.',
        ...(depManifest.engines?.node === undefined ? {} : { node: depManifest.engines.node }),
        via,
      });
      queue.push({ dir, via });
    }
  }
  return { packages: [...seen.values()], missing };
}

/** The packages whose `engines.node` excludes one of `versions`. */
export function engineProblems(
  packages: readonly InstalledPackage[],
  versions: readonly string[],
): EngineProblem[] {
  const problems: EngineProblem[] = [];
  for (const pkg of packages) {
    if (pkg.node === undefined) continue;
    const range = pkg.node;
    const excludes = versions.filter((v) => !semver.satisfies(v, range, { includePrerelease: true }));
    if (excludes.length === 0) continue;
    problems.push({
      pkg,
      excludes,
      message: `${pkg.name}@${pkg.version} (${pkg.dir}) demande Node « ${range} », ce qui exclut ${excludes.join(
        ', ',
      )} — via ${pkg.via.join(' > ')}`,
    });
  }
  return problems;
}

function main(): void {
  const root = path.resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
  const own = readManifest(root).engines?.node;
  if (own === undefined) throw new Error(`${root}/package.json ne déclare pas engines.node`);
  const versions = lowestSupported(own);
  const { packages, missing } = productionPackages(root);
  const problems = engineProblems(packages, versions);
  for (const m of missing) console.error(`dépendance absente : ${m}`);
  for (const p of problems) console.error(p.message);
  console.log(
    `${packages.length} dépendances de production sous ${root} ; engines.node « ${own} » → ${versions.join(', ')} : ${
      problems.length + missing.length === 0
        ? 'toutes compatibles'
        : `${problems.length + missing.length} problème(s)`
    }`,
  );
  if (problems.length + missing.length > 0) process.exitCode = 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
