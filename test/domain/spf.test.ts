import { describe, expect, it } from 'vitest';
import { isSpfRecord, parseSpf, SPF_LOOKUP_LIMIT } from '../../src/domain/spf.js';

describe('isSpfRecord', () => {
  it('recognises v=spf1 followed by a space or nothing, case-insensitively', () => {
    expect(isSpfRecord('v=spf1 include:_spf.google.com -all')).toBe(true);
    expect(isSpfRecord('v=spf1')).toBe(true);
    expect(isSpfRecord('V=SPF1 mx -all')).toBe(true);
    expect(isSpfRecord('v=spf10 -all')).toBe(false);
    expect(isSpfRecord('v=spf1-all')).toBe(false);
    expect(isSpfRecord('spf2.0/pra ip4:192.0.2.1')).toBe(false);
    expect(isSpfRecord('google-site-verification=abc')).toBe(false);
  });
});

describe('parseSpf', () => {
  it('parses a valid record: terms, all, includes, lookups', () => {
    const r = parseSpf('v=spf1 include:_spf.google.com ip4:192.0.2.0/24 -all');
    expect(r.problems).toEqual([]);
    expect(r.all).toBe('-');
    expect(r.redirect).toBeUndefined();
    expect(r.includes).toEqual(['_spf.google.com']);
    expect(r.terms).toEqual([
      {
        kind: 'mechanism',
        qualifier: '+',
        name: 'include',
        value: '_spf.google.com',
        raw: 'include:_spf.google.com',
      },
      { kind: 'mechanism', qualifier: '+', name: 'ip4', value: '192.0.2.0/24', raw: 'ip4:192.0.2.0/24' },
      { kind: 'mechanism', qualifier: '-', name: 'all', raw: '-all' },
    ]);
    expect(r.lookupTerms.map((t) => t.raw)).toEqual(['include:_spf.google.com']);
  });

  it('accepts +all as syntactically valid (the policy check is elsewhere)', () => {
    const r = parseSpf('v=spf1 +all');
    expect(r.problems).toEqual([]);
    expect(r.all).toBe('+');
    expect(r.lookupTerms).toEqual([]);
  });

  it('tolerates multiple spaces and upper case; names are lower-cased', () => {
    const r = parseSpf('V=SPF1   IP4:192.0.2.1    MX:Mail.Exemple.FR   ?ALL  ');
    expect(r.problems).toEqual([]);
    expect(r.terms.map((t) => [t.name, t.qualifier])).toEqual([
      ['ip4', '+'],
      ['mx', '+'],
      ['all', '?'],
    ]);
    expect(r.all).toBe('?');
  });

  it('reports typos with the term as published', () => {
    const r = parseSpf('v=spf1 inlcude:_spf.google.com ip4:300.1.1.1 ip6:2001:db8::/129 ~all');
    expect(r.problems).toEqual([
      { code: 'unknown-mechanism', term: 'inlcude:_spf.google.com' },
      { code: 'invalid-ip4', term: 'ip4:300.1.1.1' },
      { code: 'invalid-cidr', term: 'ip6:2001:db8::/129' },
    ]);
    // A misspelt include is not a lookup, nor an include.
    expect(r.includes).toEqual([]);
    expect(r.lookupTerms).toEqual([]);
    expect(r.all).toBe('~');
  });

  it('checks the argument rules of each mechanism', () => {
    const r = parseSpf(
      'v=spf1 include all:foo ip4 -ip4:192.0.2.1/33 a:exemple a/33 ptr/24 include:exemple..fr exists: mx:mail.exemple.fr/24//129',
    );
    expect(r.problems).toEqual([
      { code: 'missing-argument', term: 'include' },
      { code: 'unexpected-argument', term: 'all:foo' },
      { code: 'missing-argument', term: 'ip4' },
      { code: 'invalid-cidr', term: '-ip4:192.0.2.1/33' },
      { code: 'invalid-domain', term: 'a:exemple' },
      { code: 'invalid-cidr', term: 'a/33' },
      { code: 'unexpected-argument', term: 'ptr/24' },
      { code: 'invalid-domain', term: 'include:exemple..fr' },
      { code: 'missing-argument', term: 'exists:' },
      { code: 'invalid-cidr', term: 'mx:mail.exemple.fr/24//129' },
    ]);
  });

  it('validates IPv4 and IPv6 networks', () => {
    expect(
      parseSpf(
        'v=spf1 ip6:2001:db8::1 ip6:::ffff:192.0.2.1/128 ip6:2001:DB8:0:0:0:0:0:1/64 ip4:0.0.0.0/0 -all',
      ).problems,
    ).toEqual([]);
    expect(
      parseSpf(
        'v=spf1 ip6:fe80::1::2 ip6:2001:db8:0:0:0:0:0:0:1 ip6:192.0.2.1 ip4:192.0.2.010 ip4:2001:db8::1 ip4:192.0.2.1/024',
      ).problems,
    ).toEqual([
      { code: 'invalid-ip6', term: 'ip6:fe80::1::2' },
      { code: 'invalid-ip6', term: 'ip6:2001:db8:0:0:0:0:0:0:1' },
      { code: 'invalid-ip6', term: 'ip6:192.0.2.1' },
      { code: 'invalid-ip4', term: 'ip4:192.0.2.010' },
      { code: 'invalid-ip4', term: 'ip4:2001:db8::1' },
      { code: 'invalid-cidr', term: 'ip4:192.0.2.1/024' },
    ]);
  });

  it('accepts macros in domain-specs and dual CIDR lengths on a and mx', () => {
    const r = parseSpf(
      'v=spf1 exists:%{i}._spf.%{d} include:%{l1r+-}.%{d2}.exemple.fr a:mail.exemple.fr/28//64 mx//64 a/24 ptr exists:%{ir}.%-%_%%.exemple.fr exp=explain._spf.%{d} -all',
    );
    expect(r.problems).toEqual([]);
    expect(r.lookupTerms.map((t) => t.name)).toEqual(['exists', 'include', 'a', 'mx', 'a', 'ptr', 'exists']);
    expect(r.terms.find((t) => t.raw === 'a/24')?.value).toBe('/24');
    expect(r.includes).toEqual(['%{l1r+-}.%{d2}.exemple.fr']);
  });

  it('rejects malformed macros and exp-only macro letters in domain-specs', () => {
    const r = parseSpf('v=spf1 exists:%{x}.exemple.fr include:%c.exemple.fr exists:%{c}.exemple.fr a:%{d');
    expect(r.problems).toEqual([
      { code: 'invalid-macro', term: 'exists:%{x}.exemple.fr' },
      { code: 'invalid-macro', term: 'include:%c.exemple.fr' },
      { code: 'invalid-macro', term: 'exists:%{c}.exemple.fr' },
      { code: 'invalid-macro', term: 'a:%{d' },
    ]);
  });

  it('reports a duplicate redirect and keeps the first one as the lookup', () => {
    const r = parseSpf('v=spf1 redirect=_spf.exemple.fr redirect=_spf2.exemple.fr');
    expect(r.problems).toEqual([{ code: 'duplicate-modifier', term: 'redirect=_spf2.exemple.fr' }]);
    expect(r.redirect).toBe('_spf.exemple.fr');
    expect(r.lookupTerms.map((t) => t.raw)).toEqual(['redirect=_spf.exemple.fr']);
  });

  it('lists a redirect that an all mechanism makes ignored, without counting it (§6.1)', () => {
    const r = parseSpf('v=spf1 mx redirect=_spf.exemple.fr -all');
    expect(r.problems).toEqual([]);
    expect(r.redirect).toBe('_spf.exemple.fr');
    expect(r.lookupTerms.map((t) => t.raw)).toEqual(['mx']);
  });

  it('checks modifiers: exp once, valid domains, unknown ones only for syntax, no qualifier', () => {
    expect(parseSpf('v=spf1 -all moi=toi vide= exp=explain.exemple.fr').problems).toEqual([]);
    expect(
      parseSpf(
        'v=spf1 exp=a.exemple.fr exp=b.exemple.fr foo=%{z} redirect= -redirect=exemple.fr redirect=exemple',
      ).problems,
    ).toEqual([
      { code: 'duplicate-modifier', term: 'exp=b.exemple.fr' },
      { code: 'invalid-macro', term: 'foo=%{z}' },
      { code: 'missing-argument', term: 'redirect=' },
      { code: 'invalid-modifier', term: '-redirect=exemple.fr' },
      { code: 'invalid-domain', term: 'redirect=exemple' },
      { code: 'duplicate-modifier', term: 'redirect=exemple' },
    ]);
    const r = parseSpf('v=spf1 -redirect=exemple.fr');
    expect(r.redirect).toBeUndefined();
    expect(r.lookupTerms).toEqual([]);
    expect(r.terms[0]?.kind).toBe('modifier');
    expect(parseSpf('v=spf1 redirect=').redirect).toBeUndefined();
  });

  it('reports terms that are neither a mechanism nor a modifier', () => {
    expect(parseSpf('v=spf1 + 192.0.2.1 -all').problems).toEqual([
      { code: 'invalid-term', term: '+' },
      { code: 'invalid-term', term: '192.0.2.1' },
    ]);
  });

  it('reports a record that does not start with v=spf1', () => {
    expect(parseSpf('v=spf2 -all').problems).toEqual([{ code: 'invalid-version', term: 'v=spf2' }]);
    expect(parseSpf('include:_spf.google.com -all')).toMatchObject({
      problems: [{ code: 'missing-version', term: '' }],
      includes: ['_spf.google.com'],
    });
    expect(parseSpf('').problems).toEqual([{ code: 'missing-version', term: '' }]);
  });

  it('lists every DNS-querying term so the caller can compare with SPF_LOOKUP_LIMIT', () => {
    const includes = Array.from({ length: 11 }, (_, i) => `include:_spf${i}.exemple.fr`).join(' ');
    const r = parseSpf(`v=spf1 ${includes} ip4:192.0.2.1 -all`);
    expect(SPF_LOOKUP_LIMIT).toBe(10);
    expect(r.lookupTerms).toHaveLength(11);
    expect(r.lookupTerms.length > SPF_LOOKUP_LIMIT).toBe(true);
    expect(r.includes[10]).toBe('_spf10.exemple.fr');
  });
});
