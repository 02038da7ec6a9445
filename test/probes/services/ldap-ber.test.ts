import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadServiceCatalogue } from '../../../src/config/index.js';
import { startFakeService } from '../../../src/demo/fake-services.js';
import type { ServiceEntry } from '../../../src/domain/index.js';
import { serviceProbe } from '../../../src/probes/services/index.js';

/*
 * The LDAP probe and the demo's fake directory both write BER with src/probes/services/ber.ts, so a
 * mistake there would pass their own tests. Here each side faces bytes encoded by hand from RFC 4511
 * (test/fixtures/ldap/README.md), including the 4-byte long-form lengths OpenLDAP writes and vigie
 * never does.
 */

const FIXTURES = new URL('../../fixtures/ldap/', import.meta.url);
const OPTS = { timeoutMs: 5000, connectTimeoutMs: 2000 };

function vector(name: string): Buffer {
  const text = readFileSync(new URL(name, FIXTURES), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join('');
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

const ldapEntry = (): ServiceEntry => {
  const catalogue = loadServiceCatalogue(
    fileURLToPath(new URL('../../../checks/services.yaml', import.meta.url)),
  );
  const entry = catalogue.services.get('ldap');
  if (entry === undefined) throw new Error('no ldap entry in the catalogue');
  return entry;
};

/** A directory that records what it is sent and, once a whole request is there, answers `answer`. */
async function scriptedDirectory(answer: Buffer, requestLength: number) {
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      if (Buffer.concat(received).length >= requestLength) {
        // In two writes, split inside a long-form length, as a network may deliver it.
        socket.write(answer.subarray(0, 3));
        setTimeout(() => socket.write(answer.subarray(3)), 20);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return { port: (server.address() as net.AddressInfo).port, received: () => Buffer.concat(received) };
}

describe('LDAP root DSE search, against BER encoded by hand from RFC 4511', () => {
  it('sends exactly the SearchRequest RFC 4511 encodes, and reads an OpenLDAP-framed answer', async () => {
    const request = vector('rootdse-search-request.hex');
    const directory = await scriptedDirectory(vector('openldap-style-rootdse-answer.hex'), request.length);
    const obs = await serviceProbe({ host: '127.0.0.1', port: directory.port }, ldapEntry(), OPTS);
    expect(directory.received().toString('hex')).toBe(request.toString('hex'));
    expect(obs).toMatchObject({
      state: 'open',
      service: 'ldap',
      version: 'Exemple Annuaire 4.2.1',
      detail: 'root DSE readable: dc=exemple,dc=fr',
    });
  });

  it('the demo’s fake directory answers the RFC-encoded request with the RFC-encoded entry and result', async () => {
    const fake = await startFakeService('ldap', { version: '2.0.14' });
    onTestFinished(() => fake.close());
    const socket = net.connect(fake.port, fake.host);
    onTestFinished(() => {
      socket.destroy();
    });
    await once(socket, 'connect');
    socket.write(vector('rootdse-search-request.hex'));
    const expected = vector('demo-rootdse-answer.hex');
    let answer = Buffer.alloc(0);
    const deadline = Date.now() + 10_000;
    while (answer.length < expected.length && Date.now() < deadline && !socket.destroyed) {
      const chunk = await Promise.race([
        once(socket, 'data').then(([d]) => d as Buffer),
        once(socket, 'close').then(() => Buffer.alloc(0)),
        new Promise<Buffer>((resolve) => setTimeout(() => resolve(Buffer.alloc(0)), 500)),
      ]);
      answer = Buffer.concat([answer, chunk]);
    }
    expect(answer.toString('hex')).toBe(expected.toString('hex'));
  });
});
