import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

/** `Key=value` lines of a unit file (comments and sections left out), every value of repeated keys. */
function unitDirectives(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

/** Dockerfile instructions of the last stage, continuation lines joined. */
function lastStage(text: string): { op: string; args: string }[] {
  const joined = text.replace(/\\\n/g, ' ');
  const all = joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
  const from = all.map((i) => i.op).lastIndexOf('FROM');
  return all.slice(from);
}

const packageFiles = (JSON.parse(read('package.json')) as { files: string[] }).files;

describe('the systemd unit', () => {
  const unit = read('contrib/systemd/vigie.service');
  const d = unitDirectives(unit);

  it('does not restart in a loop on a bad configuration, and is hardened', () => {
    expect(d.get('RestartPreventExitStatus')).toEqual(['3']); // exit code 3: invalid file
    expect(d.get('SystemCallFilter')).toEqual(['@system-service']);
    expect(d.get('ProtectProc')).toEqual(['invisible']);
    expect(d.get('NoNewPrivileges')).toEqual(['yes']);
    expect(d.get('StateDirectory')).toEqual(['vigie']); // /var/lib/vigie, given as STATE_DIRECTORY
    expect(d.has('MemoryDenyWriteExecute')).toBe(false); // V8's JIT needs it off
    expect(unit).not.toMatch(/VIGIE_DATA_DIR=/); // the data directory follows StateDirectory=
  });

  it('starts the `vigie` that `npm install -g` installs, and documents itself with installed files', () => {
    const [exec] = d.get('ExecStart') ?? [];
    // A bare name: systemd looks it up in /usr/local/bin then /usr/bin, npm's two usual prefixes.
    expect(exec).toMatch(/^vigie daemon --inventory \/etc\/vigie\/vigie\.yml$/);
    const docs = d.get('Documentation') ?? [];
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      const m = /^file:\/usr(?:\/local)?\/lib\/node_modules\/vigie\/(.+)$/.exec(doc);
      expect(m, doc).not.toBeNull();
      const rel = m?.[1] ?? '';
      expect(fs.existsSync(path.join(ROOT, rel)), rel).toBe(true);
      expect(
        packageFiles.some((f) => rel === f || rel.startsWith(`${f}/`)),
        `${rel} is packed`,
      ).toBe(true);
    }
  });

  it('passes systemd-analyze verify (where systemd is installed)', (ctx) => {
    const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => fs.existsSync(p));
    if (!analyze) return ctx.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-unit-'));
    try {
      // vigie is not installed here: the command is swapped for one that exists, the rest is as shipped.
      const file = path.join(dir, 'vigie.service');
      fs.writeFileSync(file, unit.replace(/^ExecStart=vigie /m, 'ExecStart=/bin/true '));
      const r = spawnSync(analyze, ['verify', file], { encoding: 'utf8', timeout: 30_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr.trim()).toBe(''); // an unknown or misspelt directive is only a warning there
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the container image and its compose file (checked without a Docker daemon)', () => {
  const stage = lastStage(read('Dockerfile'));
  const arg = (op: string) => stage.filter((i) => i.op === op).map((i) => i.args);
  const env = Object.fromEntries(
    arg('ENV')
      .join(' ')
      .split(/\s+/)
      .map((kv) => kv.split('=') as [string, string]),
  );
  const compose = parse(read('contrib/docker/compose.yaml')) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };
  const svc = compose.services['vigie'] ?? {};

  it('runs as a non-root user, keeps its data on a volume, and checks its health with daemon status', () => {
    const [from] = arg('FROM');
    expect(from).toMatch(/^node:20\.(19|[2-9]\d)/); // package.json engines: >=20.19 <21
    const [user] = arg('USER');
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(0|root)(:|$)/);
    expect(env['VIGIE_DATA_DIR']).toBe('/var/lib/vigie');
    expect(arg('VOLUME').join(' ')).toContain(env['VIGIE_DATA_DIR']);
    expect(arg('HEALTHCHECK').join(' ')).toMatch(/CMD \["vigie", "daemon", "status", "--check"\]/);
    expect(arg('ENTRYPOINT')).toEqual(['["vigie"]']);
    expect(read('Dockerfile')).toMatch(/npm install -g \/tmp\/vigie\.tgz/); // the packed package, as users install it
  });

  it('compose: read-only root, /tmp in memory, no capability, the volume where the image expects data', () => {
    expect(svc['read_only']).toBe(true);
    expect(svc['tmpfs']).toContain('/tmp');
    expect(svc['cap_drop']).toEqual(['ALL']);
    expect(svc['security_opt']).toContain('no-new-privileges:true');
    expect(svc['user']).toBe(arg('USER')[0]);
    const volumes = svc['volumes'] as string[];
    const data = volumes.find((v) => v.split(':')[1] === env['VIGIE_DATA_DIR']);
    expect(data?.split(':')[0]).toBe('vigie-data');
    expect(compose.volumes).toHaveProperty('vigie-data');
    // The inventory mounted read-only where the image's CMD reads it.
    expect(volumes).toContain('./vigie.yml:/etc/vigie/vigie.yml:ro');
    expect(arg('CMD').join(' ')).toContain('/etc/vigie/vigie.yml');
    // Secrets only from the environment; a bad configuration (exit 3) is not retried forever.
    expect(JSON.stringify(svc['environment'])).not.toMatch(/PASSWORD": "[^$]/);
    expect(svc['restart']).toMatch(/^on-failure:\d+$/);
    const build = svc['build'] as { context: string; dockerfile: string };
    const context = path.resolve(ROOT, 'contrib/docker', build.context);
    expect(fs.existsSync(path.join(context, build.dockerfile))).toBe(true);
    expect(svc['healthcheck']).toBeUndefined(); // the image's HEALTHCHECK applies
  });
});

describe('the systemd unit of a distributed-scan worker', () => {
  const unit = read('contrib/systemd/vigie-worker.service');
  const d = unitDirectives(unit);

  it('runs `vigie worker`, leaves its jobs time to finish on stop, and is hardened as vigie.service', () => {
    expect(d.get('ExecStart')).toEqual(['vigie worker --concurrency 4 --queues scan,discover,notify']);
    expect(d.get('KillSignal')).toEqual(['SIGTERM']);
    expect(d.get('TimeoutStopSec')).toEqual(['16min']); // the 15 min bound of a host job, and a little
    expect(d.get('RestartPreventExitStatus')).toEqual(['3']);
    expect(d.get('SystemCallFilter')).toEqual(['@system-service']);
    expect(d.get('NoNewPrivileges')).toEqual(['yes']);
    for (const doc of d.get('Documentation') ?? []) expect(doc).toMatch(/docs\/distributed\.md$/);
  });

  it('passes systemd-analyze verify (where systemd is installed)', (ctx) => {
    const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => fs.existsSync(p));
    if (!analyze) return ctx.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-unit-'));
    try {
      const file = path.join(dir, 'vigie-worker.service');
      fs.writeFileSync(file, unit.replace(/^ExecStart=vigie /m, 'ExecStart=/bin/true '));
      const r = spawnSync(analyze, ['verify', file], { encoding: 'utf8', timeout: 30_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr.trim()).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the systemd unit of the daemon in distributed mode', () => {
  const unit = read('contrib/systemd/vigie-scheduler.service');
  const d = unitDirectives(unit);

  it('runs `vigie daemon --distributed`, hardened as vigie.service', () => {
    const plain = unitDirectives(read('contrib/systemd/vigie.service'));
    expect(d.get('ExecStart')).toEqual(['vigie daemon --distributed --inventory /etc/vigie/vigie.yml']);
    for (const key of [
      'KillSignal',
      'RestartPreventExitStatus',
      'SystemCallFilter',
      'NoNewPrivileges',
      'User',
    ])
      expect(d.get(key)).toEqual(plain.get(key));
    for (const doc of d.get('Documentation') ?? []) expect(doc).toMatch(/docs\/distributed\.md$/);
  });
});
