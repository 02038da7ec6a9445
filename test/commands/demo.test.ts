import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import DemoCommand from '../../src/commands/demo.js';
import type { DemoResult } from '../../src/app/demo/index.js';
import { modifiersOf } from '../helpers/grade-modifiers.js';
import { runCommand } from '../helpers/run-command.js';

describe('vigie demo', () => {
  it('starts the estate, finds each planted flaw, leaves the clean server clean, and writes a report', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-demo-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    // A loopback network of this test's own: the demo's ports are fixed.
    const out = await runCommand(DemoCommand, ['--json', '--network', '127.161.0'], { VIGIE_DATA_DIR: dir });
    expect(out.exitCode).toBe(0);
    const demo = out.json<DemoResult>();
    const byHost = (label: string) =>
      demo.scan.findings.filter((f) => f.host === `${label}.demo.vigie.test`).map((f) => f.checkId);
    expect(byHost('portail')).toEqual([]);
    // Discovery on the demo domains: a forgotten site, a dangling CNAME, a zone open to transfer.
    const discovered = demo.discovery.findings.map((f) => `${f.checkId} ${f.host}`);
    expect(discovered).toEqual(
      expect.arrayContaining([
        'dns.axfr.open mediatheque.demo.vigie.test',
        'dns.takeover.possible blog.mediatheque.demo.vigie.test',
        'inventory.unlisted festival.mediatheque.demo.vigie.test',
      ]),
    );
    expect(discovered.filter((f) => f.startsWith('dns.axfr.open'))).toHaveLength(1);
    // The demo's Certificate Transparency search (loopback) is asked too: the forgotten site is found
    // through CT and DNS; a name seen only in long-expired certificates is kept, marked, unresolved.
    const name = (n: string) =>
      demo.discovery.names.find((d) => d.name === `${n}.mediatheque.demo.vigie.test`);
    expect(demo.discovery.sources.filter((s) => s.source === 'ct').map((s) => s.status)).toEqual([
      'ok',
      'ok',
    ]);
    expect(name('festival')?.sources).toEqual(expect.arrayContaining(['ct', 'axfr']));
    expect(name('inscriptions-2019')).toMatchObject({
      class: 'unresolved',
      expiredOnly: true,
      sources: ['ct'],
    });
    expect(byHost('ancien')).toContain('tls.cert.expired');
    expect(byHost('bientot')).toEqual(['tls.cert.expiring']);
    expect(byHost('autosigne')).toEqual(['tls.cert.self-signed']);
    expect(byHost('inconnu')).toEqual(['tls.cert.untrusted']);
    expect(byHost('mauvais-nom')).toEqual(['tls.cert.hostname-mismatch']);
    expect(byHost('cle-faible')).toEqual(['tls.cert.weak-key']);
    expect(byHost('sha1')).toEqual(['tls.cert.weak-signature']);
    expect(byHost('chaine')).toContain('tls.cert.incomplete-chain');
    expect(byHost('tls10')).toEqual(expect.arrayContaining(['tls.protocol.tls10', 'tls.protocol.tls11']));
    expect(byHost('cbc')).toEqual(expect.arrayContaining(['tls.cipher.cbc']));
    expect(byHost('historique')).toEqual(
      expect.arrayContaining(['tls.protocol.sslv3', 'tls.cipher.rc4', 'tls.kex.weak-dh']),
    );
    expect(byHost('muet')).toEqual(['scan.timeout']);
    expect(byHost('site')).toEqual(
      expect.arrayContaining([
        'http.no-https-redirect',
        'http.hsts.missing',
        'http.csp.missing',
        'custom.http.git-head',
      ]),
    );
    expect(byHost('base')).toEqual(
      expect.arrayContaining(['service.exposed.redis', 'service.redis.unauthenticated']),
    );
    // The mail side: a compliant domain and its MX stay clean; the careless one shows each flaw.
    expect(byHost('ville')).toEqual([]);
    expect(byHost('mx.ville')).toEqual([]);
    expect(byHost('mediatheque').sort()).toEqual([
      'dns.caa.missing',
      'dns.dnssec.missing',
      'mail.dkim.weak-key',
      'mail.dmarc.no-rua',
      'mail.dmarc.none',
      'mail.mta-sts.missing',
      'mail.spf.permissive',
      'mail.tls-rpt.missing',
    ]);
    expect(byHost('mx.mediatheque')).toEqual(['mail.starttls.missing']);
    const goodMx = demo.scan.endpoints.find((e) => e.host === 'mx.ville.demo.vigie.test');
    expect(goodMx?.smtp?.starttls).toBe(true);
    expect(goodMx?.tls?.protocols).toContain('tls1.3');
    expect(demo.scan.endpoints.find((e) => e.host === 'ville.demo.vigie.test')?.dns?.dnssec).toBe(
      'validated',
    );
    expect(demo.domains.map((d) => d.domain)).toEqual([
      'ville.demo.vigie.test',
      'mediatheque.demo.vigie.test',
    ]);
    // Only the careless site is graded badly; the flawed-TLS servers still serve good headers.
    const grades = demo.scan.endpoints
      .filter((e) => e.http?.grade)
      .map((e) => [e.host, e.http?.grade?.grade]);
    expect(grades).toContainEqual(['site.demo.vigie.test', 'F']);
    expect(grades).toContainEqual(['portail.demo.vigie.test', 'A+']);
    // The careless site's CDN script without integrity and its COOP in the wrong case, as graded.
    const careless = demo.scan.endpoints.find((e) => e.host === 'site.demo.vigie.test' && e.http?.grade);
    const byTest = Object.fromEntries(
      modifiersOf(careless?.http?.grade).map((m) => [m.test, [m.result, m.modifier]]),
    );
    expect(byTest['subresource-integrity']).toEqual([
      'sri-not-implemented-but-external-scripts-loaded-securely',
      -5,
    ]);
    expect(byTest['cross-origin-opener-policy']).toEqual(['coop-header-invalid', -5]);
    expect(byTest['cross-origin-embedder-policy']).toEqual(['coep-not-implemented', 0]);
    // Its plain-HTTP port, scanned too, serves the page instead of redirecting: the redirection test is scored.
    expect(byTest['redirection']).toEqual(['redirection-missing', -20]);
    expect(careless?.http?.grade).toMatchObject({ score: 0, scoringVersion: 'observatory-6+vigie-3' });
    const portail = demo.scan.endpoints.find((e) => e.host === 'portail.demo.vigie.test' && e.http?.grade);
    expect(modifiersOf(portail?.http?.grade).find((m) => m.test === 'subresource-integrity')).toMatchObject({
      result: 'sri-not-implemented-but-no-scripts-loaded',
      modifier: 0,
    });

    expect(demo.reportFile.startsWith(dir)).toBe(true);
    const report = fs.readFileSync(demo.reportFile, 'utf8');
    expect(report).toContain('<html lang="fr"');
    expect(report).toContain('Certificat expiré');
    expect(report).toContain('DSI - pôle données'); // owners come from the estate's inventory
    expect(report).toContain('Domaines : DNS et messagerie');
    expect(report).toContain('v=spf1 a mx +all');
    expect(fs.readFileSync(demo.markdownFile, 'utf8')).toContain('Métropole Démo');
    expect(fs.readFileSync(demo.inventoryFile, 'utf8')).toContain('demo-portail');
    // The index of the run and the report's current index agree, overall and per owner.
    const posture = demo.scan.posture;
    expect(posture?.index).toBeGreaterThan(0);
    expect(posture?.index).toBeLessThan(100);
    const markdown = fs.readFileSync(demo.markdownFile, 'utf8');
    const number = (text: string) => Number(text.replace(',', '.'));
    const headline = /^## Indice de posture\n\n\*\*(\d+(?:,\d)?)\/100\*\*/m.exec(markdown);
    expect(headline, 'headline index in the report').not.toBeNull();
    expect(number(headline?.[1] ?? '')).toBe(posture?.index);
    const ownerSection = markdown.split('## Par responsable\n')[1]?.split('\n## ')[0] ?? '';
    const ownerRows = ownerSection
      .split('\n')
      .filter((line) => /^\| [^-|]/.test(line) && !line.startsWith('| Responsable'))
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .map(([, owner, index, endpoints]) => [owner, number(index ?? ''), Number(endpoints)]);
    expect(ownerRows).toEqual(posture?.byOwner.map((o) => [o.owner, o.index, o.endpoints]));
    expect(ownerRows.length).toBe(3);
    expect(fs.existsSync(path.join(dir, 'demo', 'vigie.db'))).toBe(true);
    // About 25 s on a loaded 2-core machine: a generous bound, not a speed target.
  }, 120_000);
});
