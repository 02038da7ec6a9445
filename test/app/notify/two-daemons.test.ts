import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendWeeklyDigest } from '../../../src/app/notify/index.js';
import type { AppContext, MailerFactory } from '../../../src/app/shared/index.js';
import { fixedClock } from '../../../src/domain/index.js';

const PG_URL = process.env['VIGIE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `t_two_daemons_${process.pid}_${Date.now().toString(36)}`;
const NOW = new Date('2026-11-30T08:00:00.000Z');

let dir = '';
let inventory = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-two-daemons-'));
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    `organisation: { name: Commune Test, language: fr }
assets:
  - { id: portail, name: Portail, owner: DSI web, criticality: high, hosts: [{ name: www.exemple.fr }] }
mail:
  host: 127.0.0.1
  port: 2525
  secure: false
  from: "vigie <vigie@exemple.fr>"
  recipients: { managers: [dgs@exemple.fr] }
`,
  );
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
afterAll(async () => {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.end();
});

/** A mail transport that takes its time (both daemons are mid-send together) and counts. */
function slowMailer(sent: string[]): MailerFactory {
  return () => ({
    send: async (m) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      sent.push(m.subject);
      return { messageId: `<${sent.length}@test>` };
    },
    verify: () => Promise.resolve(),
    close: () => undefined,
  });
}

const stores: { name: string; storeUrl?: (n: number) => string }[] = [
  { name: 'sqlite (one data directory)' },
  { name: 'postgres (one database)', storeUrl: () => `${PG_URL}?schema=${SCHEMA}` },
];

describe.each(stores)('two daemons on one store: $name', ({ storeUrl }) => {
  it('send the week’s digest once, whatever their timing', async () => {
    const sent: string[] = [];
    const daemon = (n: number): AppContext => ({
      clock: fixedClock(NOW),
      lang: 'fr',
      dataDir: path.join(dir, 'data'),
      mailer: slowMailer(sent),
      ...(storeUrl === undefined ? {} : { storeUrl: storeUrl(n) }),
    });
    const outcomes = await Promise.all(
      [1, 2, 3].map((n) => sendWeeklyDigest(daemon(n), { inventoryFile: inventory })),
    );
    expect(sent).toHaveLength(1);
    expect(outcomes.filter((o) => o.sent)).toHaveLength(1);
    // Later, the week's digest is known as sent by every daemon.
    const again = await sendWeeklyDigest(daemon(4), { inventoryFile: inventory });
    expect(again).toMatchObject({ sent: false, alreadySent: true });
    expect(sent).toHaveLength(1);
  });
});
