import { describe, expect, it } from 'vitest';
import { isDmarcRecord, isMailtoAddress, parseDmarc } from '../../src/domain/dmarc.js';

describe('isDmarcRecord', () => {
  it('recognises v=DMARC1 first, whitespace tolerant, followed by ; or nothing', () => {
    expect(isDmarcRecord('v=DMARC1; p=reject')).toBe(true);
    expect(isDmarcRecord('v=DMARC1')).toBe(true);
    expect(isDmarcRecord('v = DMARC1 ;p=none')).toBe(true);
    expect(isDmarcRecord('V=DMARC1;p=none')).toBe(true);
    expect(isDmarcRecord('v=dmarc1; p=none')).toBe(false);
    expect(isDmarcRecord('v=DMARC10; p=none')).toBe(false);
    expect(isDmarcRecord('p=none; v=DMARC1')).toBe(false);
    expect(isDmarcRecord('v=spf1 -all')).toBe(false);
  });
});

describe('parseDmarc', () => {
  it('parses a minimal valid record', () => {
    expect(parseDmarc('v=DMARC1; p=reject; rua=mailto:dmarc@exemple.fr')).toEqual({
      tags: { v: 'DMARC1', p: 'reject', rua: 'mailto:dmarc@exemple.fr' },
      policy: 'reject',
      pct: 100,
      rua: ['mailto:dmarc@exemple.fr'],
      ruf: [],
      problems: [],
    });
  });

  it('parses every standard tag, sizes on report URIs and unknown tags', () => {
    const r = parseDmarc(
      'v=DMARC1; p=quarantine; sp=none; pct=50; adkim=s; aspf=r; rua=mailto:dmarc@exemple.fr!10m, mailto:rua+id@dmarc.prestataire.fr; ruf=mailto:forensic@exemple.fr; fo=1; ri=86400; foo=bar;',
    );
    expect(r.problems).toEqual([]);
    expect(r.policy).toBe('quarantine');
    expect(r.subdomainPolicy).toBe('none');
    expect(r.pct).toBe(50);
    expect(r.rua).toEqual(['mailto:dmarc@exemple.fr!10m', 'mailto:rua+id@dmarc.prestataire.fr']);
    expect(r.ruf).toEqual(['mailto:forensic@exemple.fr']);
    expect(r.tags['foo']).toBe('bar');
  });

  it('tolerates whitespace and upper case in tag names and policy values', () => {
    const r = parseDmarc(' V = DMARC1 ;P=Reject;  PCT = 0 ; SP=QUARANTINE');
    expect(r.problems).toEqual([]);
    expect(r.tags).toEqual({ v: 'DMARC1', p: 'Reject', pct: '0', sp: 'QUARANTINE' });
    expect(r.policy).toBe('reject');
    expect(r.subdomainPolicy).toBe('quarantine');
    expect(r.pct).toBe(0);
  });

  it('reports a missing p', () => {
    const r = parseDmarc('v=DMARC1; rua=mailto:dmarc@exemple.fr');
    expect(r.problems).toEqual([{ code: 'missing-policy', term: '' }]);
    expect(r.policy).toBeUndefined();
  });

  it('reports invalid p, sp and pct values; pct falls back to 100', () => {
    const r = parseDmarc('v=DMARC1; p=nonee; sp=rejet; pct=150');
    expect(r.problems).toEqual([
      { code: 'invalid-policy', term: 'p=nonee' },
      { code: 'invalid-subdomain-policy', term: 'sp=rejet' },
      { code: 'invalid-pct', term: 'pct=150' },
    ]);
    expect(r.policy).toBeUndefined();
    expect(r.subdomainPolicy).toBeUndefined();
    expect(r.pct).toBe(100);
    expect(parseDmarc('v=DMARC1; p=none; pct=-1').problems).toEqual([
      { code: 'invalid-pct', term: 'pct=-1' },
    ]);
    expect(parseDmarc('v=DMARC1; p=none; pct=').problems).toEqual([{ code: 'invalid-pct', term: 'pct=' }]);
  });

  it('reports a version that is not first, wrong or missing', () => {
    expect(parseDmarc('p=reject; v=DMARC1').problems).toEqual([
      { code: 'version-not-first', term: 'v=DMARC1' },
    ]);
    expect(parseDmarc('v=DMARC2; p=none').problems).toEqual([{ code: 'invalid-version', term: 'v=DMARC2' }]);
    expect(parseDmarc('p=none').problems).toEqual([{ code: 'missing-version', term: '' }]);
  });

  it('reports duplicate tags (keeping the first) and invalid alignment modes', () => {
    const r = parseDmarc('v=DMARC1; p=none; P=reject; adkim=x; aspf=strict');
    expect(r.problems).toEqual([
      { code: 'duplicate-tag', term: 'P=reject' },
      { code: 'invalid-alignment', term: 'adkim=x' },
      { code: 'invalid-alignment', term: 'aspf=strict' },
    ]);
    expect(r.policy).toBe('none');
  });

  it('reports report URIs that are not mailto: with a valid address', () => {
    const r = parseDmarc(
      'v=DMARC1; p=none; rua=dmarc@exemple.fr, mailto:pas-une-adresse, https://exemple.fr/dmarc, mailto:ok@exemple.fr!10x, mailto:ok@exemple.fr; ruf=',
    );
    expect(r.problems).toEqual([
      { code: 'invalid-rua', term: 'dmarc@exemple.fr' },
      { code: 'invalid-rua', term: 'mailto:pas-une-adresse' },
      { code: 'invalid-rua', term: 'https://exemple.fr/dmarc' },
      { code: 'invalid-rua', term: 'mailto:ok@exemple.fr!10x' },
      { code: 'invalid-ruf', term: 'ruf=' },
    ]);
    expect(r.rua).toHaveLength(5);
  });

  it('reports a part that is not a tag', () => {
    expect(parseDmarc('v=DMARC1; p=none; reject').problems).toEqual([
      { code: 'invalid-tag', term: 'reject' },
    ]);
  });
});

describe('isMailtoAddress', () => {
  it('accepts user@domain and rejects the rest', () => {
    expect(isMailtoAddress('dmarc-reports@exemple.fr')).toBe(true);
    expect(isMailtoAddress('d%21x@xn--exmple-cva.fr')).toBe(true);
    expect(isMailtoAddress('dmarc@exemple')).toBe(false);
    expect(isMailtoAddress('@exemple.fr')).toBe(false);
    expect(isMailtoAddress('a b@exemple.fr')).toBe(false);
    expect(isMailtoAddress('a!b@exemple.fr')).toBe(false);
  });
});
