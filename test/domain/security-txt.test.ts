import { describe, expect, it } from 'vitest';
import { parseSecurityTxt } from '../../src/domain/security-txt.js';

const now = new Date('2026-11-28T12:00:00Z');

const VALID = [
  '# Politique de divulgation de la Métropole',
  'Contact: mailto:securite@exemple.fr',
  'Contact: https://www.exemple.fr/securite',
  'Expires: 2027-06-30T23:00:00.000Z',
  'Preferred-Languages: fr, en',
  'Canonical: https://www.exemple.fr/.well-known/security.txt',
  '',
].join('\n');

describe('parseSecurityTxt', () => {
  it('accepts a valid file: fields with their lines, no problem, not expired', () => {
    const r = parseSecurityTxt(VALID, { now });
    expect(r.problems).toEqual([]);
    expect(r.expired).toBe(false);
    expect(r.expires?.toISOString()).toBe('2027-06-30T23:00:00.000Z');
    expect(r.fields.map((f) => [f.name, f.line])).toEqual([
      ['Contact', 2],
      ['Contact', 3],
      ['Expires', 4],
      ['Preferred-Languages', 5],
      ['Canonical', 6],
    ]);
  });

  it('reads CRLF files, field names in any case, and unknown fields', () => {
    const r = parseSecurityTxt(
      'CONTACT: tel:+33-1-23-45-67-89\r\nexpires: 2027-01-01T00:00:00+01:00\r\nX-Mairie: oui\r\n',
      { now },
    );
    expect(r.problems).toEqual([]);
    expect(r.expires?.toISOString()).toBe('2026-12-31T23:00:00.000Z');
    expect(r.fields.map((f) => f.value)).toEqual([
      'tel:+33-1-23-45-67-89',
      '2027-01-01T00:00:00+01:00',
      'oui',
    ]);
  });

  it('strips the armour of a PGP-signed file and its dash-escaping', () => {
    const signed = [
      '-----BEGIN PGP SIGNED MESSAGE-----',
      'Hash: SHA256',
      '',
      '- # commentaire échappé',
      'Contact: mailto:securite@exemple.fr',
      'Expires: 2027-06-30T23:00:00Z',
      '-----BEGIN PGP SIGNATURE-----',
      '',
      'iQIzBAEBCAAdFiEE…',
      '-----END PGP SIGNATURE-----',
    ].join('\n');
    const r = parseSecurityTxt(signed, { now });
    expect(r.problems).toEqual([]);
    expect(r.fields.map((f) => [f.name, f.line])).toEqual([
      ['Contact', 5],
      ['Expires', 6],
    ]);
  });

  it('says when the signature block is cut', () => {
    const r = parseSecurityTxt(
      '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nContact: mailto:a@b.fr\nExpires: 2027-01-01T00:00:00Z\n',
      { now },
    );
    expect(r.problems.join('\n')).toMatch(/signature PGP incomplète/);
    expect(r.fields).toHaveLength(2);
  });

  it('requires Contact, with a mailto:, https: or tel: URI', () => {
    expect(parseSecurityTxt('Expires: 2027-01-01T00:00:00Z\n', { now }).problems).toContain(
      'Contact manquant',
    );
    const r = parseSecurityTxt(
      'Contact: securite@exemple.fr\nContact: http://exemple.fr/\nExpires: 2027-01-01T00:00:00Z',
      {
        now,
      },
    );
    expect(r.problems.filter((p) => p.startsWith('Contact doit être une URI'))).toHaveLength(2);
    expect(r.problems).toContain('Contact doit utiliser https:// (ligne 2)');
  });

  it('requires Expires exactly once, as an RFC 3339 date', () => {
    const missing = parseSecurityTxt('Contact: mailto:a@b.fr', { now });
    expect(missing.problems.some((p) => p.startsWith('Expires doit apparaître exactement une fois'))).toBe(
      true,
    );
    expect(missing.expires).toBeUndefined();
    expect(missing.expired).toBe(false);

    const twice = parseSecurityTxt(
      'Contact: mailto:a@b.fr\nExpires: 2027-01-01T00:00:00Z\nExpires: 2028-01-01T00:00:00Z',
      { now },
    );
    expect(twice.problems).toContain('Expires doit apparaître exactement une fois (2 fois)');
    expect(twice.expires).toBeUndefined();

    for (const bad of [
      '31/12/2027',
      '2027-12-31',
      'Fri, 31 Dec 2027 23:59:59 GMT',
      '2027-02-30T00:00:00Z',
      '2027-13-01T00:00:00Z',
    ]) {
      const r = parseSecurityTxt(`Contact: mailto:a@b.fr\nExpires: ${bad}`, { now });
      expect(
        r.problems.some((p) => p.startsWith('date Expires invalide')),
        bad,
      ).toBe(true);
      expect(r.expires, bad).toBeUndefined();
    }
  });

  it('says when the file has expired', () => {
    const r = parseSecurityTxt('Contact: mailto:a@b.fr\nExpires: 2025-01-01T00:00:00Z', { now });
    expect(r.expired).toBe(true);
    expect(r.problems).toEqual([]);
  });

  it('reports unreadable lines and repeated Preferred-Languages', () => {
    const r = parseSecurityTxt(
      'Contact: mailto:a@b.fr\nExpires: 2027-01-01T00:00:00Z\n<html>page introuvable</html>\nPreferred-Languages: fr\nPreferred-Languages: en',
      { now },
    );
    expect(r.problems).toContain('ligne 3 illisible : « <html>page introuvable</html> »');
    expect(r.problems).toContain('Preferred-Languages doit apparaître au plus une fois');
  });

  it('finds nothing in an empty file but the two missing fields', () => {
    const r = parseSecurityTxt('', { now });
    expect(r.fields).toEqual([]);
    expect(r.problems).toEqual(['Contact manquant', 'Expires doit apparaître exactement une fois (absent)']);
  });
});
