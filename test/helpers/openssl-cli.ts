import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { onTestFinished } from 'vitest';

/**
 * The openssl command-line tool (Debian's OpenSSL 3; .ci/run installs it) as a second implementation
 * of TLS: its client's and server's flights, and its `-trace` decoding of each message, are what the
 * raw encoders and parsers of vigie (the probe, the legacy loopback server) are checked against.
 */

const BOUND_MS = 10_000;

export function opensslVersion(): string {
  return execFileSync('openssl', ['version'], { encoding: 'utf8', timeout: BOUND_MS }).trim();
}

/**
 * Runs `openssl s_client -connect 127.0.0.1:port …args -trace` with its output line-buffered, and
 * resolves with what it printed once `until` matches it, once it exits, or after 10 s (then killed).
 */
export function opensslClient(port: number, args: readonly string[], until?: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(
      'stdbuf',
      ['-oL', 'openssl', 's_client', '-connect', `127.0.0.1:${port}`, ...args, '-trace'],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let out = '';
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      resolve(out);
    };
    const timer = setTimeout(finish, BOUND_MS);
    const read = (chunk: Buffer): void => {
      out += chunk.toString('latin1');
      if (until?.test(out)) finish();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('error', (error) => {
      out += `\nspawn error: ${error.message}`;
      finish();
    });
    child.on('exit', () => setImmediate(finish));
  });
}

/** Starts `openssl s_server -accept 127.0.0.1:0 …args` and resolves with its port; killed when the test ends. */
export function opensslServer(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`openssl s_server did not start: ${out}`)), BOUND_MS);
    const read = (chunk: Buffer): void => {
      out += chunk.toString('latin1');
      const port = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      if (port !== undefined) {
        clearTimeout(timer);
        resolve(Number(port));
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`openssl s_server exited (${String(code)}): ${out}`));
    });
  });
}

/**
 * What a client sends first: a loopback listener records the bytes of the first connection until
 * `complete` says they are whole (or 10 s pass), then drops the connection.
 */
export async function captureFirstFlight(
  complete: (bytes: Buffer) => boolean,
): Promise<{ port: number; bytes: Promise<Buffer> }> {
  let resolveBytes: (b: Buffer) => void = () => undefined;
  const bytes = new Promise<Buffer>((resolve) => (resolveBytes = resolve));
  const server = net.createServer((socket) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), BOUND_MS);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (complete(received)) {
        clearTimeout(timer);
        resolveBytes(received);
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolveBytes(received);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as net.AddressInfo).port, bytes };
}

/** One message of a `-trace` printout: the lines from its title to the next record or message. */
export function traceMessage(trace: string, direction: 'Sent' | 'Received', title: string, nth = 0): string {
  const records = trace.split(/^(?=(?:Sent|Received) Record$)/m).filter((r) => r.startsWith(direction));
  const messages = records.flatMap((r) => r.split(/^(?= {4}\w[\w ]*, Length=\d+$)/m));
  return messages.filter((m) => m.startsWith(`    ${title}, Length=`))[nth] ?? '';
}

/** What `-trace` printed of a ClientHello or ServerHello: the fields the tests compare. */
export function traceHello(message: string): {
  version?: number;
  suites: number[];
  extensions: number[];
  groups: number[];
  keyShareGroups: number[];
  supportedVersions: number[];
  serverName?: string;
  sessionIdLength?: number;
  randomTail?: string;
} {
  const hex = (s: string | undefined) => (s === undefined ? undefined : parseInt(s, 16));
  const version = hex(/(?:client|server)_version=0x([0-9a-f]+)/i.exec(message)?.[1]);
  const suites = [...message.matchAll(/\{0x([0-9A-F]{2}), 0x([0-9A-F]{2})\}/g)].map(
    (m) => (parseInt(m[1] ?? '0', 16) << 8) | parseInt(m[2] ?? '0', 16),
  );
  const extensions = [...message.matchAll(/extension_type=[\w-]+\((\d+)\)/g)].map((m) => Number(m[1]));
  const section = (type: number): string => {
    const start = message.search(new RegExp(`extension_type=[\\w-]+\\(${type}\\)`));
    if (start < 0) return '';
    const rest = message.slice(start + 1);
    const next = rest.search(/extension_type=/);
    return next < 0 ? rest : rest.slice(0, next);
  };
  const groups = [...section(10).matchAll(/\((\d+)\)$/gm)].map((m) => Number(m[1]));
  const keyShareGroups = [...section(51).matchAll(/NamedGroup: .*\((\d+)\)$/gm)].map((m) => Number(m[1]));
  const supportedVersions = [...section(43).matchAll(/TLS [\d.]+ \((\d+)\)$/gm)].map((m) => Number(m[1]));
  // server_name is printed as a hex dump: list length (2), name type (1), name length (2), name.
  const dump = section(0)
    .split('\n')
    .flatMap((line) => /^\s+[0-9a-f]{4} - (.{1,47})/.exec(line)?.[1]?.match(/[0-9a-f]{2}/g) ?? []);
  const serverName =
    dump.length > 5 ? Buffer.from(dump.slice(5).join(''), 'hex').toString('latin1') : undefined;
  const sessionIdLength = Number(/session_id \(len=(\d+)\)/.exec(message)?.[1] ?? NaN);
  const randomTail = /random_bytes \(len=28\): ([0-9A-F]+)/.exec(message)?.[1];
  return {
    ...(version === undefined ? {} : { version }),
    suites,
    extensions,
    groups,
    keyShareGroups,
    supportedVersions,
    ...(serverName === undefined ? {} : { serverName }),
    ...(Number.isNaN(sessionIdLength) ? {} : { sessionIdLength }),
    ...(randomTail === undefined ? {} : { randomTail }),
  };
}
