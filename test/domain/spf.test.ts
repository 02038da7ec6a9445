import { describe, expect, it } from 'vitest';
import { isSpfRecord, parseSpf, spfDomainSpec, SPF_LOOKUP_LIMIT } from '../../src/domain/spf.js';

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

/*
 * The syntax of RFC 7208, case by case, each problem list asserted exactly. Records are ours; the
 * section is the RFC's, and the OpenSPF test suite name (rfc7208-tests.yml) is given where it has
 * the same situation.
 */
describe('parseSpf, RFC 7208 syntax', () => {
  const problems = (record: string) => parseSpf(record).problems;

  it.each([
    // §4.6.1: terms = *( 1*SP ( directive / modifier ) ) — spaces only ("control-char-policy").
    ['v=spf1 a:ctrl.exemple.fr\rptr -all', [{ code: 'invalid-separator', term: 'a:ctrl.exemple.fr\\rptr' }]],
    ['v=spf1 ip4:192.0.2.1\t-all', [{ code: 'invalid-separator', term: 'ip4:192.0.2.1\\t-all' }]],
    ['v=spf1 mx\n-all', [{ code: 'invalid-separator', term: 'mx\\n-all' }]],
    ['v=spf1 mx -all\r\n', [{ code: 'invalid-separator', term: '-all\\r\\n' }]],
    ['v=spf1 mx\u00a0-all', [{ code: 'invalid-separator', term: 'mx\\xa0-all' }]],
    ['v=spf1 mx\u2003-all', [{ code: 'invalid-separator', term: 'mx\\u{2003}-all' }]],
    ['v=spf1\t-all', [{ code: 'invalid-separator', term: 'v=spf1\\t-all' }]],
    // One or more spaces, trailing ones included ("two-spaces").
    ['v=spf1 a  -all ', []],
  ])('separators: %j', (record, expected) => {
    expect(problems(record)).toEqual(expected);
  });

  it.each([
    // §7.1: a domain-spec is macro-string domain-end; `:` and `/` are visible characters it may hold
    // ("a-colon-domain", "mx-colon-domain").
    ['v=spf1 a:foo:bar/baz.exemple.fr -all', []],
    ['v=spf1 mx:foo:bar/baz.exemple.fr/24//64 -all', []],
    ['v=spf1 include:x:y/z.exemple.fr exists:u/v.exemple.fr ptr:p:q.exemple.fr -all', []],
    // The top label may hold neither ("a-bad-domain", "mx-bad-domain", "include-cidr", "exists-cidr").
    ['v=spf1 a:exemple.fr:8080', [{ code: 'invalid-domain', term: 'a:exemple.fr:8080' }]],
    ['v=spf1 mx:exemple.fr:25', [{ code: 'invalid-domain', term: 'mx:exemple.fr:25' }]],
    ['v=spf1 include:exemple.fr/24', [{ code: 'invalid-domain', term: 'include:exemple.fr/24' }]],
    ['v=spf1 exists:exemple.fr/24', [{ code: 'invalid-domain', term: 'exists:exemple.fr/24' }]],
    // Only the trailing /N or //N is a CIDR length: `/24/64` leaves `exemple.fr/24` as the name.
    ['v=spf1 a:exemple.fr/24/64', [{ code: 'invalid-domain', term: 'a:exemple.fr/24/64' }]],
    // A top label: not all-numeric, no leading dash, and at least two labels ("a-numeric",
    // "a-bad-toplabel", "a-only-toplabel"); dashes inside are fine ("a-dash-in-toplabel").
    ['v=spf1 a:192.0.2.1', [{ code: 'invalid-domain', term: 'a:192.0.2.1' }]],
    ['v=spf1 a:exemple.-fr', [{ code: 'invalid-domain', term: 'a:exemple.-fr' }]],
    ['v=spf1 a:museum.', [{ code: 'invalid-domain', term: 'a:museum.' }]],
    ['v=spf1 a:foo.exemple.xn--zckzah -all', []],
    // Empty domain-specs ("a-empty-domain", "mx-empty-domain", "include-empty-domain", "ptr-empty-domain").
    [
      'v=spf1 a: mx: include: exists: ptr:',
      [
        { code: 'missing-argument', term: 'a:' },
        { code: 'missing-argument', term: 'mx:' },
        { code: 'missing-argument', term: 'include:' },
        { code: 'missing-argument', term: 'exists:' },
        { code: 'missing-argument', term: 'ptr:' },
      ],
    ],
  ])('domain-specs: %j', (record, expected) => {
    expect(problems(record)).toEqual(expected);
  });

  it.each([
    // §5.3, §5.4: dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ].
    ['v=spf1 a/0 a//0 a/24//64 mx/32 mx//128 a:exemple.fr/32//128 -all', []],
    // §5.6: ip4 up to /32, ip6 up to /128, one length only ("cidr4-0", "cidr4-32", "cidr6-0", "cidr6-33").
    ['v=spf1 ip4:192.0.2.1/0 ip4:192.0.2.1/32 ip6:::192.0.2.1/0 ip6:2001:db8::/33 ip6:::1/128 -all', []],
    [
      'v=spf1 a/33 a//129 mx/24/64 ip4:192.0.2.1/33 ip4:192.0.2.1/032 ip4:192.0.2.1//32 ip6:::1//33 ip6:::1/129',
      [
        { code: 'invalid-cidr', term: 'a/33' },
        { code: 'invalid-cidr', term: 'a//129' },
        { code: 'invalid-cidr', term: 'mx/24/64' },
        { code: 'invalid-cidr', term: 'ip4:192.0.2.1/33' },
        { code: 'invalid-cidr', term: 'ip4:192.0.2.1/032' },
        { code: 'invalid-cidr', term: 'ip4:192.0.2.1//32' },
        { code: 'invalid-cidr', term: 'ip6:::1//33' },
        { code: 'invalid-cidr', term: 'ip6:::1/129' },
      ],
    ],
    // No shortened address, no port ("bad-ip4-short", "bad-ip4-port"); ip6 is not dual ("cidr6-bad").
    [
      'v=spf1 ip4:192.0.2 ip4:192.0.2.1:8080 ip6::CAFE::BABE ptr/0 exists/24',
      [
        { code: 'invalid-ip4', term: 'ip4:192.0.2' },
        { code: 'invalid-ip4', term: 'ip4:192.0.2.1:8080' },
        { code: 'invalid-ip6', term: 'ip6::CAFE::BABE' },
        { code: 'unexpected-argument', term: 'ptr/0' },
        { code: 'unexpected-argument', term: 'exists/24' },
      ],
    ],
  ])('CIDR forms: %j', (record, expected) => {
    expect(problems(record)).toEqual(expected);
  });

  it.each([
    // §7.1: macro-expand = "%{" macro-letter transformers *delimiter "}" / "%%" / "%_" / "%-"
    // ("macro-mania-in-domain", "macro-multiple-delimiters", "macro-reverse-split-on-dash").
    [
      'v=spf1 exists:%{i}._spf.%{d} exists:%{ir}.%{v}._spf.%{d2} a:%{l1r-}.%{d} exists:%{l2r+-}.user.%{d2} -all',
      [],
    ],
    ['v=spf1 a:macro%%percent%_%_space%-url-space.exemple.fr exists:%{p}.exemple.fr a:%{H} -all', []],
    ['v=spf1 exists:%{s}.%{o}.%{h}.%{l}.x.exemple.fr exists:%{D}.%{I2}.exemple.fr -all', []],
    // A `%` not followed by `{`, `%`, `_` or `-` ("invalid-macro-char", "invalid-embedded-macro-char",
    // "invalid-trailing-macro-char"); unknown letters ("undef-macro"); c, r, t are for exp text only
    // ("exp-only-macro-char"); an unterminated macro.
    [
      'v=spf1 exists:%(ir).sbl.exemple.fr exists:foo%.sbl.exemple.fr a:%{a}.exemple.fr exists:%{t}.exemple.fr a:%{d',
      [
        { code: 'invalid-macro', term: 'exists:%(ir).sbl.exemple.fr' },
        { code: 'invalid-macro', term: 'exists:foo%.sbl.exemple.fr' },
        { code: 'invalid-macro', term: 'a:%{a}.exemple.fr' },
        { code: 'invalid-macro', term: 'exists:%{t}.exemple.fr' },
        { code: 'invalid-macro', term: 'a:%{d' },
      ],
    ],
  ])('macros: %j', (record, expected) => {
    expect(problems(record)).toEqual(expected);
  });

  it.each([
    // §6, appendix A: unknown-modifier = name "=" macro-string, name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
    // ("modifier-charset-good", "default-modifier-obsolete").
    ['v=spf1 moo.cow-far_out=man:dog/cat ip4:192.0.2.1 default=pass -all', []],
    // `=` must come right after the name ("modifier-charset-bad1", "-bad2"); a name starts with a letter
    // ("invalid-modifier", "empty-modifier-name"); a macro-string has valid macros ("unknown-modifier-syntax").
    [
      'v=spf1 moo.cow/far_out=man:dog/cat moo.cow:far_out=man:dog/cat 1up=foo =all foo=%abc',
      [
        { code: 'unknown-mechanism', term: 'moo.cow/far_out=man:dog/cat' },
        { code: 'unknown-mechanism', term: 'moo.cow:far_out=man:dog/cat' },
        { code: 'invalid-term', term: '1up=foo' },
        { code: 'invalid-term', term: '=all' },
        { code: 'invalid-macro', term: 'foo=%abc' },
      ],
    ],
    // §6.1: redirect = "redirect" "=" domain-spec; redirect is not a mechanism ("redirect-is-modifier",
    // "redirect-syntax-error", "redirect-empty-domain", "redirect-twice").
    [
      'v=spf1 redirect:exemple.fr redirect=-all redirect= redirect=_spf.exemple.fr',
      [
        { code: 'unknown-mechanism', term: 'redirect:exemple.fr' },
        { code: 'invalid-domain', term: 'redirect=-all' },
        { code: 'missing-argument', term: 'redirect=' },
        { code: 'duplicate-modifier', term: 'redirect=' },
        { code: 'duplicate-modifier', term: 'redirect=_spf.exemple.fr' },
      ],
    ],
  ])('modifiers: %j', (record, expected) => {
    expect(problems(record)).toEqual(expected);
  });

  it.each([
    // §6.2: explanation = "exp" "=" domain-spec, at most once ("exp-syntax-error", "exp-empty-domain",
    // "exp-twice"); its domain-spec takes no c, r, t macro ("exp-only-macro-char").
    ['v=spf1 -all exp=explain._spf.%{d}', []],
    ['v=spf1 exp=msg.exemple.fr. -all', []],
    ['v=spf1 exp= -all', [{ code: 'missing-argument', term: 'exp=' }]],
    ['v=spf1 exp=-all', [{ code: 'invalid-domain', term: 'exp=-all' }]],
    ['v=spf1 -all exp=%{r}.exemple.fr', [{ code: 'invalid-macro', term: 'exp=%{r}.exemple.fr' }]],
    [
      'v=spf1 exp=a.exemple.fr -all exp=b.exemple.fr',
      [{ code: 'duplicate-modifier', term: 'exp=b.exemple.fr' }],
    ],
  ])('exp=: %j', (record, expected) => {
    expect(problems(record)).toEqual(expected);
  });

  it.each([
    // §5.1: all = "all", nothing after it ("all-dot", "all-arg", "all-cidr"); twice is fine ("all-double").
    ['v=spf1 -all.', [{ code: 'unknown-mechanism', term: '-all.' }]],
    ['v=spf1 -all:foobar', [{ code: 'unexpected-argument', term: '-all:foobar' }]],
    ['v=spf1 -all/8', [{ code: 'unexpected-argument', term: '-all/8' }]],
    ['v=spf1 all -all', []],
    // §5.2, §5.7: include and exists need a domain-spec ("include-syntax-error", "exists-implicit").
    ['v=spf1 include +all', [{ code: 'missing-argument', term: 'include' }]],
    ['v=spf1 exists', [{ code: 'missing-argument', term: 'exists' }]],
    // §4.6: any syntax error anywhere is detected, even after all ("detect-errors-anywhere").
    ['v=spf1 ip4:192.0.2.1 -all moo', [{ code: 'unknown-mechanism', term: 'moo' }]],
  ])('mechanisms: %j', (record, expected) => {
    expect(problems(record)).toEqual(expected);
  });

  it('never counts the mechanisms after all, which are never tested (§5.1)', () => {
    const r = parseSpf('v=spf1 mx -all include:_spf.exemple.fr a redirect=_spf2.exemple.fr');
    expect(r.problems).toEqual([]);
    expect(r.lookupTerms.map((t) => t.raw)).toEqual(['mx']);
    expect(r.includes).toEqual(['_spf.exemple.fr']);
  });

  it('names the domain-spec of each term, CIDR lengths removed (§5, §6)', () => {
    const r = parseSpf(
      'v=spf1 a A:Foo:Bar/Baz.Exemple.FR/24 mx/24//64 mx:m.exemple.fr//64 ptr ptr:p.exemple.fr include:i.exemple.fr exists:%{i}.e.exemple.fr ip4:192.0.2.1/24 redirect=r.exemple.fr exp=x.exemple.fr',
    );
    expect(r.problems).toEqual([]);
    expect(r.terms.map((t) => [t.raw, spfDomainSpec(t)])).toEqual([
      ['a', undefined],
      ['A:Foo:Bar/Baz.Exemple.FR/24', 'Foo:Bar/Baz.Exemple.FR'],
      ['mx/24//64', undefined],
      ['mx:m.exemple.fr//64', 'm.exemple.fr'],
      ['ptr', undefined],
      ['ptr:p.exemple.fr', 'p.exemple.fr'],
      ['include:i.exemple.fr', 'i.exemple.fr'],
      ['exists:%{i}.e.exemple.fr', '%{i}.e.exemple.fr'],
      ['ip4:192.0.2.1/24', undefined],
      ['redirect=r.exemple.fr', 'r.exemple.fr'],
      ['exp=x.exemple.fr', 'x.exemple.fr'],
    ]);
  });
});
