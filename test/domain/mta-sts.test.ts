import { describe, expect, it } from 'vitest';
import {
  isMtaStsRecord,
  MTA_STS_MAX_AGE_LIMIT,
  mxMatchesPattern,
  parseMtaStsPolicy,
  parseMtaStsRecord,
} from '../../src/domain/mta-sts.js';

describe('MTA-STS TXT record', () => {
  it('recognises v=STSv1 first', () => {
    expect(isMtaStsRecord('v=STSv1; id=20260115T120000')).toBe(true);
    expect(isMtaStsRecord('v=STSv1;id=1')).toBe(true);
    expect(isMtaStsRecord('v=stsv1; id=1')).toBe(false);
    expect(isMtaStsRecord('v=STSv10; id=1')).toBe(false);
    expect(isMtaStsRecord('id=1; v=STSv1')).toBe(false);
  });

  it('parses the id', () => {
    expect(parseMtaStsRecord('v=STSv1; id=20260115T120000;')).toEqual({
      id: '20260115T120000',
      problems: [],
    });
  });

  it('reports a missing or malformed id', () => {
    expect(parseMtaStsRecord('v=STSv1;')).toEqual({ problems: [{ code: 'missing-id', term: '' }] });
    expect(parseMtaStsRecord('v=STSv1; id=2026-01-15')).toEqual({
      problems: [{ code: 'invalid-id', term: 'id=2026-01-15' }],
    });
    expect(parseMtaStsRecord(`v=STSv1; id=${'a'.repeat(33)}`).problems).toEqual([
      { code: 'invalid-id', term: `id=${'a'.repeat(33)}` },
    ]);
    expect(parseMtaStsRecord(`v=STSv1; id=${'a'.repeat(32)}`).problems).toEqual([]);
  });

  it('reports version problems, duplicate and malformed fields', () => {
    expect(parseMtaStsRecord('id=abc; v=STSv1').problems).toEqual([
      { code: 'version-not-first', term: 'v=STSv1' },
    ]);
    expect(parseMtaStsRecord('v=STSv2; id=abc').problems).toEqual([
      { code: 'invalid-version', term: 'v=STSv2' },
    ]);
    expect(parseMtaStsRecord('id=abc').problems).toEqual([{ code: 'missing-version', term: '' }]);
    const r = parseMtaStsRecord('v=STSv1; id=premier; id=second; bizarre');
    expect(r.id).toBe('premier');
    expect(r.problems).toEqual([
      { code: 'duplicate-tag', term: 'id=second' },
      { code: 'invalid-tag', term: 'bizarre' },
    ]);
  });
});

describe('parseMtaStsPolicy', () => {
  it('parses a CRLF policy', () => {
    const body =
      'version: STSv1\r\nmode: enforce\r\nmx: mail.exemple.fr\r\nmx: *.mx.prestataire.net\r\nmax_age: 604800\r\n';
    expect(parseMtaStsPolicy(body)).toEqual({
      version: 'STSv1',
      mode: 'enforce',
      maxAge: 604800,
      mx: ['mail.exemple.fr', '*.mx.prestataire.net'],
      problems: [],
    });
  });

  it('parses an LF policy with extra spaces and unknown keys', () => {
    const r = parseMtaStsPolicy(
      'version:STSv1\nmode :  testing\nmx: mail.exemple.fr\nmax_age: 86400\nfoo: bar\n',
    );
    expect(r.problems).toEqual([]);
    expect(r.mode).toBe('testing');
    expect(r.maxAge).toBe(86400);
  });

  it('requires mx unless the mode is none', () => {
    expect(parseMtaStsPolicy('version: STSv1\nmode: testing\nmax_age: 86400\n').problems).toEqual([
      { code: 'missing-mx', term: '' },
    ]);
    expect(parseMtaStsPolicy('version: STSv1\nmode: none\nmax_age: 86400\n')).toEqual({
      version: 'STSv1',
      mode: 'none',
      maxAge: 86400,
      mx: [],
      problems: [],
    });
  });

  it('bounds max_age to 31557600 seconds', () => {
    const policy = (age: string): string =>
      `version: STSv1\nmode: enforce\nmx: mail.exemple.fr\nmax_age: ${age}\n`;
    expect(MTA_STS_MAX_AGE_LIMIT).toBe(31557600);
    expect(parseMtaStsPolicy(policy('31557600')).maxAge).toBe(31557600);
    const tooBig = parseMtaStsPolicy(policy('31557601'));
    expect(tooBig.maxAge).toBeUndefined();
    expect(tooBig.problems).toEqual([{ code: 'invalid-max-age', term: 'max_age: 31557601' }]);
    expect(parseMtaStsPolicy(policy('1w')).problems).toEqual([
      { code: 'invalid-max-age', term: 'max_age: 1w' },
    ]);
    expect(parseMtaStsPolicy(policy('0')).maxAge).toBe(0);
  });

  it('reports every missing required field of an empty body', () => {
    expect(parseMtaStsPolicy('').problems).toEqual([
      { code: 'missing-version', term: '' },
      { code: 'missing-mode', term: '' },
      { code: 'missing-max-age', term: '' },
      { code: 'missing-mx', term: '' },
    ]);
  });

  it('reports invalid values, duplicates, bad mx patterns and lines that are not fields', () => {
    const r = parseMtaStsPolicy(
      [
        'version: STSv2',
        'mode: Enforce',
        'mode: enforce',
        'mx: mail..exemple.fr',
        'mx: mail.exemple.fr',
        'ceci n’est pas un champ',
        'max_age: 86400',
      ].join('\n'),
    );
    expect(r.problems).toEqual([
      { code: 'duplicate-field', term: 'mode: enforce' },
      { code: 'invalid-mx', term: 'mx: mail..exemple.fr' },
      { code: 'invalid-line', term: 'ceci n’est pas un champ' },
      { code: 'invalid-version', term: 'version: STSv2' },
      { code: 'invalid-mode', term: 'mode: Enforce' },
    ]);
    expect(r.version).toBe('STSv2');
    expect(r.mode).toBeUndefined();
    expect(r.mx).toEqual(['mail..exemple.fr', 'mail.exemple.fr']);
  });
});

describe('mxMatchesPattern', () => {
  it('matches exact names case-insensitively, ignoring trailing dots', () => {
    expect(mxMatchesPattern('mail.exemple.fr', 'mail.exemple.fr')).toBe(true);
    expect(mxMatchesPattern('MAIL.Exemple.FR.', 'mail.exemple.fr')).toBe(true);
    expect(mxMatchesPattern('mail.exemple.fr', 'mail.exemple.fr.')).toBe(true);
    expect(mxMatchesPattern('mail2.exemple.fr', 'mail.exemple.fr')).toBe(false);
    expect(mxMatchesPattern('', '')).toBe(false);
  });

  it('lets a wildcard match exactly one leftmost label', () => {
    expect(mxMatchesPattern('mail.example.net', '*.example.net')).toBe(true);
    expect(mxMatchesPattern('MX1.Example.Net.', '*.example.net')).toBe(true);
    expect(mxMatchesPattern('example.net', '*.example.net')).toBe(false);
    expect(mxMatchesPattern('a.b.example.net', '*.example.net')).toBe(false);
    expect(mxMatchesPattern('mailexample.net', '*.example.net')).toBe(false);
    expect(mxMatchesPattern('.example.net', '*.example.net')).toBe(false);
  });
});
