/**
 * RFC 6376 §3.6.1 DKIM key record parser (and RFC 8463 Ed25519 keys). Pure: the caller fetches
 * `<selector>._domainkey.<domain>`; node:crypto only decodes the key to measure it.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { RecordProblem } from './record-problem.js';
import { readTagList } from './tag-list.js';

export interface ParsedDkimKey {
  /** k= as published, 'rsa' when absent. */
  keyType: string;
  /** p= is present and empty: the key was revoked (§3.6.1). */
  revoked: boolean;
  /** Key size: the RSA modulus length, 256 for Ed25519; absent when the key cannot be decoded. */
  bits?: number;
  /** Empty when the record is valid. */
  problems: RecordProblem[];
}

/** §3.2 tag-name: ALPHA *(ALPHA / DIGIT / "_"), case-sensitive. */
const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410), followed by the 32 raw bytes. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function tryKey(der: Buffer, type: 'spki' | 'pkcs1'): KeyObject | undefined {
  try {
    return createPublicKey({ key: der, format: 'der', type });
  } catch {
    return undefined;
  }
}

/** Decodes p= for the key type; the bits, or a problem code. */
function measureKey(keyType: string, der: Buffer): { bits: number } | { code: string } {
  if (keyType === 'ed25519') {
    if (der.length !== 32) return { code: 'invalid-key' };
    const key = tryKey(Buffer.concat([ED25519_SPKI_PREFIX, der]), 'spki');
    return key === undefined ? { code: 'invalid-key' } : { bits: 256 };
  }
  const key = tryKey(der, 'spki') ?? tryKey(der, 'pkcs1');
  if (key === undefined) return { code: 'invalid-key' };
  if (key.asymmetricKeyType !== 'rsa') return { code: 'key-type-mismatch' };
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return bits === undefined ? { code: 'invalid-key' } : { bits };
}

/** Parses a DKIM key record (`v=DKIM1; k=rsa; p=…`). */
export function parseDkimKey(txt: string): ParsedDkimKey {
  const { tags, problems } = readTagList(txt, {
    name: TAG_NAME,
    version: { value: 'DKIM1', optional: true },
  });

  const k = tags.get('k');
  const keyType = k?.value ?? 'rsa';
  const supported = keyType === 'rsa' || keyType === 'ed25519';
  if (k !== undefined && !supported) problems.push({ code: 'invalid-key-type', term: k.raw });

  const p = tags.get('p');
  if (p === undefined) {
    problems.push({ code: 'missing-key', term: '' });
    return { keyType, revoked: false, problems };
  }
  const base64 = p.value.replace(/\s+/g, '');
  if (base64 === '') return { keyType, revoked: true, problems };
  if (!BASE64.test(base64)) {
    problems.push({ code: 'invalid-key', term: p.raw });
    return { keyType, revoked: false, problems };
  }
  if (!supported) return { keyType, revoked: false, problems };
  const measured = measureKey(keyType, Buffer.from(base64, 'base64'));
  if ('code' in measured) {
    problems.push({ code: measured.code, term: p.raw });
    return { keyType, revoked: false, problems };
  }
  return { keyType, revoked: false, bits: measured.bits, problems };
}
