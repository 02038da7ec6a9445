import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadTakeoverCatalogue } from '../../src/config/index.js';
import { InvalidFileError, judgeTakeover } from '../../src/domain/index.js';

const SHIPPED = path.resolve('checks/takeover.yaml');

function tempFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-takeover-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'takeover.yaml');
  fs.writeFileSync(file, text);
  return file;
}

describe('checks/takeover.yaml', () => {
  it('loads, and every case of every provider holds (the loader judges each one)', () => {
    const catalogue = loadTakeoverCatalogue(SHIPPED);
    expect(catalogue.providers.map((p) => p.id)).toEqual(
      expect.arrayContaining([
        'github-pages',
        'heroku',
        'azure-app-service',
        'azure-cloud-app',
        'azure-traffic-manager',
        'aws-s3',
        'aws-elastic-beanstalk',
        'netlify',
        'shopify',
        'fastly',
        'pantheon',
        'zendesk',
        'wordpress-com',
      ]),
    );
  });

  it('judges by the shipped data: NXDOMAIN rule, HTTP rule, no provider, not observed', () => {
    const { providers } = loadTakeoverCatalogue(SHIPPED);
    expect(
      judgeTakeover({ target: 'x.azurewebsites.net', targetRcode: 'NXDOMAIN' }, providers),
    ).toMatchObject({
      verdict: 'dangling',
      rule: 'nxdomain',
      provider: { id: 'azure-app-service' },
    });
    expect(judgeTakeover({ target: 'x.azurewebsites.net', targetRcode: 'NOERROR' }, providers).verdict).toBe(
      'alive',
    );
    // A GitHub Pages CNAME without an HTTP answer is not "alive": it could not be told.
    expect(judgeTakeover({ target: 'x.github.io', targetRcode: 'NOERROR' }, providers).verdict).toBe(
      'undetermined',
    );
    expect(judgeTakeover({ target: 'www.exemple.fr', targetRcode: 'NXDOMAIN' }, providers).verdict).toBe(
      'no-provider',
    );
    // A suffix matches whole labels only.
    expect(judgeTakeover({ target: 'notgithub.io', targetRcode: 'NXDOMAIN' }, providers).verdict).toBe(
      'no-provider',
    );
  });

  it('refuses a provider whose case does not hold, a regex RE2 refuses, and a fingerprint proving nothing', () => {
    const file = tempFile(`version: 1
providers:
  - id: faux
    name: Faux
    cname: [faux.test]
    nxdomain: false
    http: { body: 'gone' }
    takeover: true
    references: [x]
    cases:
      - { cname: a.faux.test, status: 404, body: 'still here', dangling: true }
      - { cname: a.faux.test, status: 200, body: 'ok', dangling: false }
  - id: retour
    name: Retour
    cname: [retour.test]
    nxdomain: false
    http: { body: '(a)\\1' }
    takeover: true
    references: [x]
    cases:
      - { cname: a.retour.test, status: 404, body: 'aa', dangling: true }
      - { cname: a.retour.test, status: 200, body: 'ok', dangling: false }
  - id: rien
    name: Rien
    cname: [rien.test]
    nxdomain: false
    takeover: true
    references: [x]
    cases:
      - { cname: a.rien.test, dangling: true }
      - { cname: a.rien.test, dangling: false }
`);
    let error: unknown;
    try {
      loadTakeoverCatalogue(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidFileError);
    const paths = (error as InvalidFileError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['providers[0].cases[0]', 'providers[1].http.body', 'providers[2]']),
    );
  });
});
