import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { failed, observed, type Outcome } from '../../domain/outcome.js';
import type { CertFacts, CertObservation } from '../../domain/tls.js';
import { certificateSignatureAlgorithm } from './der.js';

/**
 * Pure analysis of the certificates a server sent: facts per certificate, name match, and a trust
 * path from the leaf to a trust anchor, built like a browser would (issuers looked up among the
 * certificates sent, in any order, then in the trust store).
 */

export interface AnalyseChainOptions {
  /** Host name or IP address the leaf must be valid for. */
  checkedName: string;
  trustAnchors: readonly X509Certificate[];
}

/** Issuer links followed from the leaf before giving up (a path of at most 11 certificates). */
const MAX_DEPTH = 10;

const CURVE_BITS: Readonly<Record<string, number>> = {
  prime192v1: 192,
  secp224r1: 224,
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

/** One-line distinguished name, most specific first ('CN=x, O=y'), from Node's multi-line form. */
export function oneLineName(multiLine: string): string {
  return multiLine
    .split('\n')
    .filter((part) => part.length > 0)
    .reverse()
    .join(', ');
}

/**
 * A certificate the server sent that vigie cannot read whole (an extension that does not decode, a
 * field OpenSSL refuses to give): its facts would be partial — a name check would even fall back
 * to the CN — so none are reported; the certificate observation is an error with this reason.
 */
export class UnreadableCertificateError extends Error {
  override name = 'UnreadableCertificateError';
}

/** 'DNS:a, IP Address:1.2.3.4, DNS:"b, c"' → ['DNS:a', 'IP:1.2.3.4', 'DNS:b, c']. */
export function parseSubjectAltNames(text: string | null | undefined): string[] {
  if (text === undefined || text === null || text.length === 0) return [];
  const out: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    const colon = text.indexOf(':', pos);
    if (colon < 0) break;
    const kind = text.slice(pos, colon).trim();
    let value: string;
    let next: number;
    if (text[colon + 1] === '"') {
      // Node JSON-quotes values that contain separators.
      let end = colon + 2;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const quoted = text.slice(colon + 1, end + 1);
      try {
        value = JSON.parse(quoted) as string;
      } catch {
        value = quoted;
      }
      const comma = text.indexOf(', ', end + 1);
      next = comma < 0 ? text.length : comma + 2;
    } else {
      const comma = text.indexOf(', ', colon + 1);
      const end = comma < 0 ? text.length : comma;
      value = text.slice(colon + 1, end);
      next = comma < 0 ? text.length : comma + 2;
    }
    out.push(`${kind === 'IP Address' ? 'IP' : kind}:${value}`);
    pos = next;
  }
  return out;
}

function isoDate(text: string): string {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

function keyFacts(cert: X509Certificate): Pick<CertFacts, 'keyType' | 'keyBits' | 'curve'> {
  try {
    const key = cert.publicKey;
    const type = key.asymmetricKeyType;
    const details = key.asymmetricKeyDetails ?? {};
    if (type === undefined) return { keyType: 'unknown', keyBits: 0 };
    switch (type) {
      case 'rsa':
      case 'rsa-pss':
      case 'dsa':
        return { keyType: type, keyBits: details.modulusLength ?? 0 };
      case 'ec': {
        const curve = details.namedCurve ?? 'unknown';
        const digits = /(\d{3})/.exec(curve)?.[1];
        const bits = CURVE_BITS[curve] ?? (digits === undefined ? 0 : Number(digits));
        return { keyType: 'ec', keyBits: bits, curve };
      }
      case 'ed25519':
      case 'x25519':
        return { keyType: type, keyBits: 256 };
      case 'ed448':
        return { keyType: type, keyBits: 456 };
      case 'x448':
        return { keyType: type, keyBits: 448 };
      default:
        return { keyType: type, keyBits: details.modulusLength ?? 0 };
    }
  } catch {
    // An algorithm OpenSSL cannot load (e.g. GOST): still report the certificate.
    return { keyType: 'unknown', keyBits: 0 };
  }
}

function safeVerify(cert: X509Certificate, signer: X509Certificate): boolean {
  try {
    return cert.verify(signer.publicKey);
  } catch {
    return false;
  }
}

function isSelfIssued(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && safeVerify(cert, cert);
}

/** `candidate` issued `cert`: names (and key identifiers) match, it may sign certificates, the signature verifies. */
function issuedBy(cert: X509Certificate, candidate: X509Certificate): boolean {
  try {
    return candidate.ca && cert.checkIssued(candidate) && safeVerify(cert, candidate);
  } catch {
    return false;
  }
}

/** The names a certificate covers; throws UnreadableCertificateError when its extension does not decode. */
function subjectAltNamesOf(cert: X509Certificate): string[] {
  // Node gives null (not undefined) when the extension is present but OpenSSL cannot decode it.
  const text = cert.subjectAltName as string | null | undefined;
  if (text === null) {
    throw new UnreadableCertificateError(
      'son extension subjectAltName (les noms qu’il couvre) ne se décode pas',
    );
  }
  return parseSubjectAltNames(text);
}

/** Facts of one certificate; throws UnreadableCertificateError when one cannot be read. */
export function certFacts(cert: X509Certificate): CertFacts {
  let facts: CertFacts;
  try {
    const sig = certificateSignatureAlgorithm(cert.raw);
    facts = {
      subject: oneLineName(cert.subject),
      issuer: oneLineName(cert.issuer),
      serialNumber: cert.serialNumber,
      notBefore: isoDate(cert.validFrom),
      notAfter: isoDate(cert.validTo),
      subjectAltNames: subjectAltNamesOf(cert),
      ...keyFacts(cert),
      signatureAlgorithm: sig?.name ?? 'inconnu',
      selfIssued: isSelfIssued(cert),
      isCa: cert.ca,
      fingerprint256: cert.fingerprint256,
    };
    if (sig?.hash !== undefined) facts.signatureHash = sig.hash;
  } catch (error) {
    if (error instanceof UnreadableCertificateError) throw error;
    throw new UnreadableCertificateError(
      `lecture impossible (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  return facts;
}

/** Browser-like name check: SAN DNS names (CN only when there is no SAN), IP SANs for IP literals. */
export function leafMatchesName(leaf: X509Certificate, name: string): boolean {
  let n = name.trim();
  if (n.startsWith('[') && n.endsWith(']')) n = n.slice(1, -1);
  if (n.endsWith('.')) n = n.slice(0, -1);
  if (n.length === 0) return false;
  try {
    if (isIP(n) !== 0) return leaf.checkIP(n) !== undefined;
    return leaf.checkHost(n, { subject: 'default', wildcards: true, partialWildcards: false }) !== undefined;
  } catch {
    return false;
  }
}

function parse(der: Buffer): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

const quote = (name: string): string => `« ${name} »`;

type Trust = CertObservation['trust'];

interface PathResult {
  trust: Trust;
  missingIssuer?: string;
}

function buildPath(sent: readonly X509Certificate[], anchors: readonly X509Certificate[]): PathResult {
  const leaf = sent[0];
  if (leaf === undefined) return { trust: { status: 'untrusted', detail: 'aucun certificat reçu' } };
  const anchorPrints = new Set(anchors.map((a) => a.fingerprint256));
  const used = new Set<string>();
  let missingIssuer: string | undefined;
  const withMissing = (trust: Trust): PathResult =>
    missingIssuer === undefined ? { trust } : { trust, missingIssuer };

  let current = leaf;
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    used.add(current.fingerprint256);
    const currentName = oneLineName(current.subject);
    const selfIssued = isSelfIssued(current);

    // The certificate itself is trusted (a root, or a server certificate pinned in the CA file).
    if (anchorPrints.has(current.fingerprint256) && (selfIssued || current === leaf)) {
      return withMissing({
        status: 'trusted',
        anchor: currentName,
        detail:
          `chaîne validée jusqu’à l’ancre de confiance ${quote(currentName)}` +
          (missingIssuer === undefined
            ? ''
            : ` grâce au magasin de confiance : le serveur n’envoie pas l’intermédiaire ${quote(missingIssuer)}`),
      });
    }

    const fromServer = sent.find((c) => !used.has(c.fingerprint256) && issuedBy(current, c));
    const fromStore =
      fromServer === undefined
        ? anchors.find((c) => !used.has(c.fingerprint256) && issuedBy(current, c))
        : undefined;
    const next = fromServer ?? fromStore;

    if (next === undefined) {
      const issuerName = oneLineName(current.issuer);
      if (selfIssued) {
        if (current === leaf) {
          return withMissing({
            status: 'self-signed',
            detail: `certificat auto-signé ${quote(currentName)}, absent du magasin de confiance`,
          });
        }
        return withMissing({
          status: 'untrusted',
          detail: `la racine ${quote(currentName)} n’est pas dans le magasin de confiance`,
        });
      }
      // Something carries the issuer's name but is not the issuer: wrong key, or not allowed to sign.
      const namesakes = [...sent, ...anchors].filter((c) => c !== current && c.subject === current.issuer);
      if (namesakes.length > 0) {
        const detail = namesakes.some((c) => safeVerify(current, c))
          ? `${quote(issuerName)} n’est pas une autorité de certification valide pour ${quote(currentName)} (CA:false, usage de clé ou identifiant de clé incompatible)`
          : `la signature de ${quote(currentName)} ne se vérifie pas avec la clé de ${quote(issuerName)}`;
        return withMissing({ status: 'untrusted', detail });
      }
      // A CA the server sent whose issuer is unknown: most likely a root absent from the store (servers
      // need not send roots), so the chain is not called incomplete. A leaf alone is.
      if (current === leaf || !current.ca) missingIssuer ??= issuerName;
      const where = current === leaf ? '' : ` (la chaîne s’arrête à ${quote(currentName)})`;
      return withMissing({
        status: 'untrusted',
        detail: `l’émetteur ${quote(issuerName)} n’a pas été envoyé par le serveur et n’est pas dans le magasin de confiance${where}`,
      });
    }

    // An intermediate found only in the trust store: usable, but the server should have sent it.
    if (fromStore !== undefined && !isSelfIssued(fromStore)) missingIssuer ??= oneLineName(fromStore.subject);
    current = next;
  }
  return withMissing({
    status: 'untrusted',
    detail: `plus de ${MAX_DEPTH} émetteurs successifs : construction du chemin de confiance abandonnée`,
  });
}

/** Facts of each certificate sent, the one that cannot be read named by its place in the chain. */
function chainFacts(sent: readonly X509Certificate[]): CertFacts[] {
  return sent.map((cert, index) => {
    try {
      return certFacts(cert);
    } catch (error) {
      if (!(error instanceof UnreadableCertificateError)) throw error;
      let subject = '';
      try {
        subject = ` ${quote(oneLineName(cert.subject))}`;
      } catch {
        // the subject itself is unreadable: the place in the chain names it
      }
      const which = index === 0 ? 'certificat du serveur' : `certificat n° ${index + 1} de la chaîne`;
      throw new UnreadableCertificateError(`${which}${subject} illisible : ${error.message}`, {
        cause: error,
      });
    }
  });
}

/**
 * Facts, name match and trust of the certificates a server sent (leaf first). Throws
 * UnreadableCertificateError when a certificate that parses cannot be read whole; `observeChain`
 * turns that into an error outcome.
 */
export function analyseChain(chainDer: readonly Buffer[], opts: AnalyseChainOptions): CertObservation {
  const parsed = chainDer.map(parse);
  const leaf = parsed[0];
  const sent = parsed.filter((c): c is X509Certificate => c !== undefined);
  if (leaf === undefined) {
    return {
      chain: chainFacts(sent),
      checkedName: opts.checkedName,
      nameMatches: false,
      trust: {
        status: 'untrusted',
        detail:
          chainDer.length === 0
            ? 'le serveur n’a envoyé aucun certificat'
            : 'le certificat du serveur est illisible (DER invalide)',
      },
    };
  }
  const chain = chainFacts(sent);
  const path = buildPath(sent, opts.trustAnchors);
  const observation: CertObservation = {
    chain,
    checkedName: opts.checkedName,
    nameMatches: leafMatchesName(leaf, opts.checkedName),
    trust: path.trust,
  };
  if (path.missingIssuer !== undefined) observation.missingIssuer = path.missingIssuer;
  return observation;
}

/**
 * `analyseChain` as a probe outcome: a certificate that cannot be read is an error of the
 * certificate observation (`protocol-error`, with the reason), never a pass and never an exception
 * that would cost the endpoint its other observations.
 */
export function observeChain(
  chainDer: readonly Buffer[],
  opts: AnalyseChainOptions,
): Outcome<CertObservation> {
  try {
    return observed(analyseChain(chainDer, opts));
  } catch (error) {
    if (error instanceof UnreadableCertificateError) return failed('protocol-error', error.message);
    throw error;
  }
}

const BEGIN = '-----BEGIN CERTIFICATE-----';
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Certificates of PEM bundles; blocks that do not parse are skipped (see `countPemCertificates`). */
export function loadTrustAnchors(pemTexts: readonly string[]): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const text of pemTexts) {
    for (const block of text.match(PEM_BLOCK) ?? []) {
      try {
        out.push(new X509Certificate(block));
      } catch {
        // Skipped; a caller that must report it compares with countPemCertificates.
      }
    }
  }
  return out;
}

/** Number of `BEGIN CERTIFICATE` blocks in a PEM text (to tell the user when some did not load). */
export function countPemCertificates(pemText: string): number {
  return pemText.split(BEGIN).length - 1;
}

let defaults: X509Certificate[] | undefined;

/** Node's bundled root store (Mozilla's), parsed once; each call returns a fresh array of the same objects. */
export function defaultTrustAnchors(): X509Certificate[] {
  defaults ??= loadTrustAnchors(rootCertificates);
  return [...defaults];
}
