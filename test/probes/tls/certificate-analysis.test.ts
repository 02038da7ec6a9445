import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, issueLeaf, pemChain, type Issued } from '../../../src/demo/pki.js';
import { readFileSync } from 'node:fs';
import {
  analyseChain,
  countPemCertificates,
  defaultTrustAnchors,
  loadTrustAnchors,
  observeChain,
  oneLineName,
  parseSubjectAltNames,
  UnreadableCertificateError,
} from '../../../src/probes/tls/certificate-analysis.js';

const DAY = 86_400_000;
const ROOT = 'CN=Demo Root, O=Vigie';
const INTERMEDIATE = 'CN=Demo Intermediate, O=Vigie';

describe('analyseChain', () => {
  let root: Issued;
  let intermediate: Issued;
  let leaf: Issued;

  beforeAll(async () => {
    root = await createCa({ commonName: 'Demo Root', organization: 'Vigie' });
    intermediate = await createCa({ commonName: 'Demo Intermediate', organization: 'Vigie', issuer: root });
    leaf = await issueLeaf({
      commonName: 'localhost',
      dnsNames: ['localhost', '*.example.test'],
      ipAddresses: ['127.0.0.1'],
      issuer: intermediate,
    });
  });

  it('trusts a complete chain up to a root anchor and reports facts per certificate', () => {
    const obs = analyseChain([leaf.der, intermediate.der], {
      checkedName: 'localhost',
      trustAnchors: [root.cert],
    });
    expect(obs.trust).toMatchObject({ status: 'trusted', anchor: ROOT });
    expect(obs.missingIssuer).toBeUndefined();
    expect(obs.nameMatches).toBe(true);
    expect(obs.checkedName).toBe('localhost');
    expect(obs.chain).toHaveLength(2);
    const [facts, inter] = obs.chain;
    expect(facts).toMatchObject({
      subject: 'CN=localhost',
      issuer: INTERMEDIATE,
      serialNumber: leaf.cert.serialNumber,
      subjectAltNames: ['DNS:localhost', 'DNS:*.example.test', 'IP:127.0.0.1'],
      keyType: 'rsa',
      keyBits: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      signatureHash: 'sha256',
      selfIssued: false,
      isCa: false,
      fingerprint256: leaf.cert.fingerprint256,
    });
    expect(facts?.notAfter).toBe(new Date(leaf.cert.validTo).toISOString());
    expect(inter).toMatchObject({ subject: INTERMEDIATE, issuer: ROOT, isCa: true, selfIssued: false });
  });

  it('finds issuers in any order and ignores unrelated extras', async () => {
    const stranger = await createCa({ commonName: 'Unrelated CA', keyBits: 1024 });
    const obs = analyseChain([leaf.der, stranger.der, intermediate.der], {
      checkedName: 'localhost',
      trustAnchors: [root.cert],
    });
    expect(obs.trust.status).toBe('trusted');
    expect(obs.chain.map((c) => c.subject)).toEqual(['CN=localhost', 'CN=Unrelated CA', INTERMEDIATE]);
  });

  it('trusts a chain where the server also sends the root', () => {
    const obs = analyseChain([leaf.der, intermediate.der, root.der], {
      checkedName: 'localhost',
      trustAnchors: [root.cert],
    });
    expect(obs.trust).toMatchObject({ status: 'trusted', anchor: ROOT });
    expect(obs.chain[2]?.selfIssued).toBe(true);
  });

  it('reports an incomplete chain when the server sends only the leaf', () => {
    const obs = analyseChain([leaf.der], { checkedName: 'localhost', trustAnchors: [root.cert] });
    expect(obs.trust.status).toBe('untrusted');
    expect(obs.missingIssuer).toBe(INTERMEDIATE);
    expect(obs.trust.detail).toBe(
      `l’émetteur « ${INTERMEDIATE} » n’a pas été envoyé par le serveur et n’est pas dans le magasin de confiance`,
    );
  });

  it('is trusted but still incomplete when the missing intermediate is in the trust store', () => {
    const obs = analyseChain([leaf.der], {
      checkedName: 'localhost',
      trustAnchors: [root.cert, intermediate.cert],
    });
    expect(obs.trust).toMatchObject({ status: 'trusted', anchor: ROOT });
    expect(obs.missingIssuer).toBe(INTERMEDIATE);
    expect(obs.trust.detail).toContain(`le serveur n’envoie pas l’intermédiaire « ${INTERMEDIATE} »`);
  });

  it('does not reach a trust anchor from an intermediate alone in the store', () => {
    const obs = analyseChain([leaf.der], { checkedName: 'localhost', trustAnchors: [intermediate.cert] });
    expect(obs.trust.status).toBe('untrusted');
    expect(obs.missingIssuer).toBe(INTERMEDIATE);
    expect(obs.trust.detail).toContain(`« ${ROOT} »`);
  });

  it('says where the path stops when the root is unknown, without calling the chain incomplete', () => {
    const obs = analyseChain([leaf.der, intermediate.der], { checkedName: 'localhost', trustAnchors: [] });
    expect(obs.trust.status).toBe('untrusted');
    expect(obs.trust.detail).toContain(`l’émetteur « ${ROOT} »`);
    expect(obs.trust.detail).toContain(`la chaîne s’arrête à « ${INTERMEDIATE} »`);
    expect(obs.missingIssuer).toBeUndefined();
  });

  it('reports an unknown root the server sent', () => {
    const obs = analyseChain([leaf.der, intermediate.der, root.der], {
      checkedName: 'localhost',
      trustAnchors: defaultTrustAnchors(),
    });
    expect(obs.trust).toEqual({
      status: 'untrusted',
      detail: `la racine « ${ROOT} » n’est pas dans le magasin de confiance`,
    });
  });

  it('reports a self-signed leaf, trusted once it is itself an anchor', async () => {
    const self = await issueLeaf({ commonName: 'self.test', key: { type: 'ec', curve: 'P-256' } });
    const obs = analyseChain([self.der], { checkedName: 'self.test', trustAnchors: [root.cert] });
    expect(obs.trust.status).toBe('self-signed');
    expect(obs.chain[0]?.selfIssued).toBe(true);
    expect(obs.missingIssuer).toBeUndefined();
    expect(obs.nameMatches).toBe(true);
    const pinned = analyseChain([self.der], { checkedName: 'self.test', trustAnchors: [self.cert] });
    expect(pinned.trust).toMatchObject({ status: 'trusted', anchor: 'CN=self.test' });
  });

  it('rejects a leaf whose signature does not verify with the issuer the server sent', async () => {
    const impostor = await createCa({ commonName: 'Demo Intermediate', organization: 'Vigie', issuer: root });
    const obs = analyseChain([leaf.der, impostor.der], {
      checkedName: 'localhost',
      trustAnchors: [root.cert],
    });
    expect(obs.trust.status).toBe('untrusted');
    expect(obs.trust.detail).toBe(
      `la signature de « CN=localhost » ne se vérifie pas avec la clé de « ${INTERMEDIATE} »`,
    );
  });

  it('rejects a chain whose issuer is not a CA', async () => {
    const notCa = await issueLeaf({ commonName: 'not-a-ca.test', issuer: root });
    const child = await issueLeaf({
      commonName: 'child.test',
      issuer: notCa,
      key: { type: 'ec', curve: 'P-256' },
    });
    const obs = analyseChain([child.der, notCa.der], {
      checkedName: 'child.test',
      trustAnchors: [root.cert],
    });
    expect(obs.trust.status).toBe('untrusted');
    expect(obs.trust.detail).toContain('n’est pas une autorité de certification');
  });

  it('checks names like a browser: SAN only, wildcards one label deep, IPs against IP SANs', async () => {
    const check = (name: string, cert: Issued = leaf): boolean =>
      analyseChain([cert.der], { checkedName: name, trustAnchors: [] }).nameMatches;
    expect(check('localhost')).toBe(true);
    expect(check('LOCALHOST.')).toBe(true);
    expect(check('a.example.test')).toBe(true);
    expect(check('example.test')).toBe(false);
    expect(check('a.b.example.test')).toBe(false);
    expect(check('127.0.0.1')).toBe(true);
    expect(check('127.0.0.2')).toBe(false);
    expect(check('other.test')).toBe(false);
    const other = await issueLeaf({
      commonName: 'localhost',
      dnsNames: ['other.test'],
      issuer: intermediate,
      key: { type: 'ec', curve: 'P-256' },
    });
    expect(check('localhost', other)).toBe(false); // CN ignored when there are SANs
    expect(check('other.test', other)).toBe(true);
  });

  it('reports weak keys, EC keys and SHA-1 signatures', async () => {
    const weak = await issueLeaf({
      commonName: 'weak.test',
      issuer: intermediate,
      key: { type: 'rsa', bits: 1024 },
    });
    const ec = await issueLeaf({
      commonName: 'ec.test',
      issuer: intermediate,
      key: { type: 'ec', curve: 'P-256' },
    });
    const ec384 = await issueLeaf({ commonName: 'ec.test', key: { type: 'ec', curve: 'P-384' } });
    const sha1 = await issueLeaf({
      commonName: 'sha1.test',
      issuer: intermediate,
      signatureHash: 'SHA-1',
      key: { type: 'rsa', bits: 1024 },
    });
    const facts = (c: Issued) =>
      analyseChain([c.der, intermediate.der], { checkedName: 'x', trustAnchors: [root.cert] }).chain[0];
    expect(facts(weak)).toMatchObject({ keyType: 'rsa', keyBits: 1024 });
    expect(facts(ec)).toMatchObject({ keyType: 'ec', keyBits: 256, curve: 'prime256v1' });
    expect(facts(ec384)).toMatchObject({ keyType: 'ec', keyBits: 384, curve: 'secp384r1' });
    expect(facts(sha1)).toMatchObject({ signatureAlgorithm: 'sha1WithRSAEncryption', signatureHash: 'sha1' });
    const sha1Obs = analyseChain([sha1.der, intermediate.der], {
      checkedName: 'sha1.test',
      trustAnchors: [root.cert],
    });
    expect(sha1Obs.trust.status).toBe('trusted');
  });

  it('reports the validity dates of expired and long-lived certificates', async () => {
    const notBefore = new Date('2023-01-01T00:00:00Z');
    const notAfter = new Date('2023-04-01T00:00:00Z');
    const expired = await issueLeaf({ commonName: 'localhost', issuer: intermediate, notBefore, notAfter });
    const obs = analyseChain([expired.der, intermediate.der], {
      checkedName: 'localhost',
      trustAnchors: [root.cert],
    });
    expect(obs.chain[0]).toMatchObject({
      notBefore: '2023-01-01T00:00:00.000Z',
      notAfter: '2023-04-01T00:00:00.000Z',
    });
    // Time is a check of its own: the path is still built.
    expect(obs.trust.status).toBe('trusted');

    const long = await issueLeaf({
      commonName: 'localhost',
      issuer: intermediate,
      notAfter: new Date(Date.now() + 3 * 365 * DAY),
    });
    const facts = analyseChain([long.der], { checkedName: 'localhost', trustAnchors: [] }).chain[0];
    const days = (Date.parse(facts?.notAfter ?? '') - Date.parse(facts?.notBefore ?? '')) / DAY;
    expect(days).toBeGreaterThan(3 * 365);
  });

  it('gives up on paths longer than ten certificates', async () => {
    const cas: Issued[] = [root];
    let top = root;
    for (let i = 0; i < 11; i++) {
      top = await createCa({ commonName: `Level ${i}`, issuer: top, keyBits: 1024 });
      cas.push(top);
    }
    const bottom = await issueLeaf({
      commonName: 'deep.test',
      issuer: top,
      key: { type: 'ec', curve: 'P-256' },
    });
    const sent = [
      bottom.der,
      ...cas
        .slice(1)
        .reverse()
        .map((c) => c.der),
    ];
    const obs = analyseChain(sent, { checkedName: 'deep.test', trustAnchors: [root.cert] });
    expect(obs.trust.status).toBe('untrusted');
    expect(obs.trust.detail).toContain('plus de 10 émetteurs successifs');
    // Leaf, nine intermediates (Level 8 … Level 0) and the root: eleven certificates fit.
    const level8 = cas[9] ?? root;
    const leafUnderLevel8 = await issueLeaf({
      commonName: 'nine.test',
      issuer: level8,
      key: { type: 'ec', curve: 'P-256' },
    });
    const ok = analyseChain([leafUnderLevel8.der, ...cas.slice(1, 10).map((c) => c.der)], {
      checkedName: 'nine.test',
      trustAnchors: [root.cert],
    });
    expect(ok.trust.status).toBe('trusted');
  });

  it('handles an empty chain and unreadable certificates', () => {
    const empty = analyseChain([], { checkedName: 'localhost', trustAnchors: [root.cert] });
    expect(empty).toEqual({
      chain: [],
      checkedName: 'localhost',
      nameMatches: false,
      trust: { status: 'untrusted', detail: 'le serveur n’a envoyé aucun certificat' },
    });
    const garbage = analyseChain([Buffer.from('not a certificate')], { checkedName: 'x', trustAnchors: [] });
    expect(garbage.trust.status).toBe('untrusted');
    expect(garbage.chain).toEqual([]);
    const extraGarbage = analyseChain([leaf.der, Buffer.from([0x30, 0x00]), intermediate.der], {
      checkedName: 'localhost',
      trustAnchors: [root.cert],
    });
    expect(extraGarbage.trust.status).toBe('trusted');
    expect(extraGarbage.chain).toHaveLength(2);
  });
});

describe('trust anchors', () => {
  it('loads every certificate of PEM bundles and skips broken blocks', async () => {
    const a = await createCa({ commonName: 'Bundle A', keyBits: 1024 });
    const b = await createCa({ commonName: 'Bundle B', keyBits: 1024 });
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    const bundle = `# internal roots\n${pemChain(a, b)}${broken}`;
    const anchors = loadTrustAnchors([bundle, a.certPem]);
    expect(anchors.map((c) => c.subject)).toEqual(['CN=Bundle A', 'CN=Bundle B', 'CN=Bundle A']);
    expect(countPemCertificates(bundle)).toBe(3);
    expect(loadTrustAnchors([''])).toEqual([]);
  });

  it('builds the default store once from Node’s bundled roots', () => {
    const first = defaultTrustAnchors();
    expect(first.length).toBeGreaterThan(100);
    expect(first.every((c) => c instanceof X509Certificate)).toBe(true);
    expect(first.filter((c) => c.ca).length).toBe(first.length);
    const second = defaultTrustAnchors();
    expect(second).not.toBe(first);
    expect(second[0]).toBe(first[0]);
  });
});

describe('a certificate that cannot be read whole', () => {
  /** Made by OpenSSL (test/helpers/openssl-cert.ts): its subjectAltName holds SEQUENCE { INTEGER 1 }. */
  const badSan = readFileSync(
    new URL('../../fixtures/fuzz/certificate/undecodable-san.der', import.meta.url),
  );
  const opts = { checkedName: 'san-illisible.vigie.test', trustAnchors: [] };
  let readable: Issued;
  beforeAll(async () => {
    readable = await createCa({ commonName: 'Lisible', organization: 'Vigie' });
  });

  it('is an error of the certificate observation with its reason, not a TypeError nor a name match', () => {
    expect(new X509Certificate(badSan).subjectAltName).toBeNull();
    expect(() => analyseChain([badSan], opts)).toThrow(UnreadableCertificateError);
    expect(observeChain([badSan], opts)).toEqual({
      status: 'error',
      reason: 'protocol-error',
      detail:
        'certificat du serveur « CN=san-illisible.vigie.test » illisible : son extension subjectAltName ' +
        '(les noms qu’il couvre) ne se décode pas',
    });
  });

  it('names its place when it is not the leaf', () => {
    const outcome = observeChain([readable.der, badSan], { checkedName: 'lisible', trustAnchors: [] });
    expect(outcome).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(
        /^certificat n° 2 de la chaîne « CN=san-illisible\.vigie\.test » illisible/,
      ) as unknown,
    });
  });

  it('leaves readable chains observed', () => {
    expect(observeChain([readable.der], { checkedName: 'lisible', trustAnchors: [] }).status).toBe(
      'observed',
    );
  });
});

describe('name and SAN formatting', () => {
  it('turns Node’s multi-line names into one line, most specific first', () => {
    expect(oneLineName('C=FR\nO=Ville\\, Exemple\nCN=www.exemple.fr')).toBe(
      'CN=www.exemple.fr, O=Ville\\, Exemple, C=FR',
    );
  });

  it('parses subjectAltName, including quoted values', () => {
    expect(parseSubjectAltNames(undefined)).toEqual([]);
    expect(parseSubjectAltNames('DNS:a.test, IP Address:1.2.3.4, IP Address:0:0:0:0:0:0:0:1')).toEqual([
      'DNS:a.test',
      'IP:1.2.3.4',
      'IP:0:0:0:0:0:0:0:1',
    ]);
    expect(parseSubjectAltNames('DNS:"a, b.test", email:x@y.test')).toEqual([
      'DNS:a, b.test',
      'email:x@y.test',
    ]);
  });
});
