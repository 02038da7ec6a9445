import { X509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import type * as X509Lib from '@peculiar/x509';

/**
 * Certificate generation for the demo estate and the tests: roots, intermediates and leaves with
 * chosen flaws (expired, self-signed, weak key, SHA-1 signature, wrong name, long validity).
 * Built with @peculiar/x509 over Node's webcrypto; keys are exported as PKCS#8 PEM so that
 * `tls.createServer({ key, cert })` takes them as they are.
 */

export type KeySpec = { type: 'rsa'; bits: number } | { type: 'ec'; curve: 'P-256' | 'P-384' };
export type SignatureHash = 'SHA-1' | 'SHA-256' | 'SHA-384';

/** A generated certificate and its private key. */
export interface Issued {
  /** The certificate alone, PEM. */
  certPem: string;
  /** Its private key, PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  keyPem: string;
  der: Buffer;
  cert: X509Certificate;
}

export interface CreateCaOptions {
  commonName: string;
  organization?: string;
  /** RSA modulus size; default 2048. */
  keyBits?: number;
  /** Default: now - 1 day. */
  notBefore?: Date;
  /** Default: now + 10 years (a CA outlives the leaves it signs). */
  notAfter?: Date;
  /** Signing CA: absent for a root (self-signed), present for an intermediate. */
  issuer?: Issued;
}

export interface IssueLeafOptions {
  commonName: string;
  organization?: string;
  /** Default: the common name (as an IP SAN when it is an IP literal), unless `ipAddresses` is given. */
  dnsNames?: string[];
  ipAddresses?: string[];
  /** Signing CA; absent = self-signed. */
  issuer?: Issued;
  /** Default: now - 1 day. */
  notBefore?: Date;
  /** Default: now + 90 days. */
  notAfter?: Date;
  /** Default: RSA 2048. */
  key?: KeySpec;
  /** Digest of the signature; default SHA-256. */
  signatureHash?: SignatureHash;
}

const DAY_MS = 86_400_000;
const DEFAULT_KEY: KeySpec = { type: 'rsa', bits: 2048 };
const RSA_EXPONENT = new Uint8Array([1, 0, 1]);
const subtle = webcrypto.subtle;

/** What is needed to sign with an Issued: kept aside so that Issued stays plain data. */
interface SignerState {
  pkcs8: Buffer;
  spec: KeySpec;
  lib: X509Lib.X509Certificate;
}
const signers = new WeakMap<Issued, SignerState>();

let libPromise: Promise<typeof X509Lib> | undefined;
function x509(): Promise<typeof X509Lib> {
  libPromise ??= (async () => {
    // @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill.
    await import('reflect-metadata');
    const lib = await import('@peculiar/x509');
    lib.cryptoProvider.set(webcrypto);
    return lib;
  })();
  return libPromise;
}

function keyParams(
  spec: KeySpec,
  hash: SignatureHash,
): webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams {
  return spec.type === 'rsa'
    ? { name: 'RSASSA-PKCS1-v1_5', hash }
    : { name: 'ECDSA', namedCurve: spec.curve };
}

async function generateKeys(spec: KeySpec): Promise<{ publicKey: webcrypto.CryptoKey; pkcs8: Buffer }> {
  const params: webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams =
    spec.type === 'rsa'
      ? { name: 'RSASSA-PKCS1-v1_5', modulusLength: spec.bits, publicExponent: RSA_EXPONENT, hash: 'SHA-256' }
      : { name: 'ECDSA', namedCurve: spec.curve };
  const pair = await subtle.generateKey(params, true, ['sign', 'verify']);
  const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', pair.privateKey));
  return { publicKey: pair.publicKey, pkcs8 };
}

/**
 * The signer of an Issued made here, or rebuilt from its PEM for one made elsewhere. Webcrypto
 * binds an RSA key to one digest, so the private key is imported again for each signature hash.
 */
async function signerOf(issued: Issued): Promise<SignerState> {
  const known = signers.get(issued);
  if (known !== undefined) return known;
  const lib = await x509();
  const keyObject = createPrivateKey(issued.keyPem);
  const details = keyObject.asymmetricKeyDetails ?? {};
  let spec: KeySpec;
  if (keyObject.asymmetricKeyType === 'rsa') {
    spec = { type: 'rsa', bits: details.modulusLength ?? 2048 };
  } else if (keyObject.asymmetricKeyType === 'ec' && details.namedCurve === 'secp384r1') {
    spec = { type: 'ec', curve: 'P-384' };
  } else if (keyObject.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') {
    spec = { type: 'ec', curve: 'P-256' };
  } else {
    throw new Error(`clé d’émetteur non prise en charge : ${keyObject.asymmetricKeyType ?? 'inconnue'}`);
  }
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'der' });
  const state: SignerState = { pkcs8, spec, lib: new lib.X509Certificate(issued.der) };
  signers.set(issued, state);
  return state;
}

/** Positive, non-zero, 16 random bytes, hex. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

interface BuildParams {
  commonName: string;
  organization: string | undefined;
  spec: KeySpec;
  hash: SignatureHash;
  notBefore: Date;
  notAfter: Date;
  issuer: Issued | undefined;
  extensions: (lib: typeof X509Lib, publicKey: webcrypto.CryptoKey) => Promise<X509Lib.Extension[]>;
}

async function build(p: BuildParams): Promise<Issued> {
  const lib = await x509();
  const keys = await generateKeys(p.spec);
  const subject: X509Lib.JsonName = [{ CN: [p.commonName] }];
  if (p.organization !== undefined) subject.push({ O: [p.organization] });
  // The DN is written most significant first: O, then CN.
  subject.reverse();

  const parent = p.issuer === undefined ? undefined : await signerOf(p.issuer);
  const signerSpec = parent?.spec ?? p.spec;
  const signerPkcs8 = parent?.pkcs8 ?? keys.pkcs8;
  const signingKey = await subtle.importKey('pkcs8', signerPkcs8, keyParams(signerSpec, p.hash), false, [
    'sign',
  ]);
  const signingAlgorithm =
    signerSpec.type === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5', hash: p.hash } : { name: 'ECDSA', hash: p.hash };

  const extensions = await p.extensions(lib, keys.publicKey);
  extensions.push(await lib.SubjectKeyIdentifierExtension.create(keys.publicKey));
  extensions.push(
    parent === undefined
      ? await lib.AuthorityKeyIdentifierExtension.create(keys.publicKey)
      : await lib.AuthorityKeyIdentifierExtension.create(parent.lib.publicKey),
  );

  const libCert = await lib.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: parent === undefined ? subject : parent.lib.subjectName,
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm,
    extensions,
  });

  const der = Buffer.from(libCert.rawData);
  const cert = new X509Certificate(der);
  const keyPem = createPrivateKey({ key: keys.pkcs8, format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const issued: Issued = { certPem: cert.toString(), keyPem, der, cert };
  signers.set(issued, { pkcs8: keys.pkcs8, spec: p.spec, lib: libCert });
  return issued;
}

/** A root CA (no issuer) or an intermediate CA (signed by `issuer`), RSA, SHA-256. */
export async function createCa(opts: CreateCaOptions): Promise<Issued> {
  const now = Date.now();
  return build({
    commonName: opts.commonName,
    organization: opts.organization,
    spec: { type: 'rsa', bits: opts.keyBits ?? 2048 },
    hash: 'SHA-256',
    notBefore: opts.notBefore ?? new Date(now - DAY_MS),
    notAfter: opts.notAfter ?? new Date(now + 3650 * DAY_MS),
    issuer: opts.issuer,
    extensions: (lib) =>
      Promise.resolve([
        new lib.BasicConstraintsExtension(true, undefined, true),
        new lib.KeyUsagesExtension(
          lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign | lib.KeyUsageFlags.digitalSignature,
          true,
        ),
      ]),
  });
}

/** A server certificate: signed by `issuer`, or self-signed when there is none. */
export async function issueLeaf(opts: IssueLeafOptions): Promise<Issued> {
  const now = Date.now();
  const spec = opts.key ?? DEFAULT_KEY;
  const names: X509Lib.JsonGeneralName[] = [];
  const dnsNames =
    opts.dnsNames ?? (opts.ipAddresses === undefined && isIP(opts.commonName) === 0 ? [opts.commonName] : []);
  const ipAddresses =
    opts.ipAddresses ?? (opts.dnsNames === undefined && isIP(opts.commonName) !== 0 ? [opts.commonName] : []);
  for (const value of dnsNames) names.push({ type: 'dns', value });
  for (const value of ipAddresses) names.push({ type: 'ip', value });
  const usage =
    spec.type === 'rsa'
      ? (lib: typeof X509Lib) => lib.KeyUsageFlags.digitalSignature | lib.KeyUsageFlags.keyEncipherment
      : (lib: typeof X509Lib) => lib.KeyUsageFlags.digitalSignature;

  return build({
    commonName: opts.commonName,
    organization: opts.organization,
    spec,
    hash: opts.signatureHash ?? 'SHA-256',
    notBefore: opts.notBefore ?? new Date(now - DAY_MS),
    notAfter: opts.notAfter ?? new Date(now + 90 * DAY_MS),
    issuer: opts.issuer,
    extensions: (lib) => {
      const list: X509Lib.Extension[] = [
        new lib.BasicConstraintsExtension(false, undefined, true),
        new lib.KeyUsagesExtension(usage(lib), true),
        new lib.ExtendedKeyUsageExtension([lib.ExtendedKeyUsage.serverAuth]),
      ];
      if (names.length > 0) list.push(new lib.SubjectAlternativeNameExtension(names));
      return Promise.resolve(list);
    },
  });
}

/** PEM of several certificates, in the given order (leaf first for a server's `cert` option). */
export function pemChain(...certs: readonly Issued[]): string {
  return certs.map((c) => c.certPem.trimEnd() + '\n').join('');
}
