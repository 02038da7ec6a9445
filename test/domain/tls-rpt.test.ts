import { describe, expect, it } from 'vitest';
import { isTlsRptRecord, parseTlsRpt } from '../../src/domain/tls-rpt.js';

describe('isTlsRptRecord', () => {
  it('recognises v=TLSRPTv1 first', () => {
    expect(isTlsRptRecord('v=TLSRPTv1; rua=mailto:tlsrpt@exemple.fr')).toBe(true);
    expect(isTlsRptRecord('v=TLSRPTv1;rua=mailto:tlsrpt@exemple.fr')).toBe(true);
    expect(isTlsRptRecord('v=tlsrptv1; rua=mailto:tlsrpt@exemple.fr')).toBe(false);
    expect(isTlsRptRecord('v=TLSRPTv10; rua=mailto:tlsrpt@exemple.fr')).toBe(false);
    expect(isTlsRptRecord('rua=mailto:tlsrpt@exemple.fr; v=TLSRPTv1')).toBe(false);
  });
});

describe('parseTlsRpt', () => {
  it('parses mailto: and https: reporting URIs', () => {
    expect(
      parseTlsRpt('v=TLSRPTv1; rua=mailto:tlsrpt@exemple.fr, https://rapports.exemple.fr/tlsrpt; ext=1;'),
    ).toEqual({ rua: ['mailto:tlsrpt@exemple.fr', 'https://rapports.exemple.fr/tlsrpt'], problems: [] });
  });

  it('reports a missing rua', () => {
    expect(parseTlsRpt('v=TLSRPTv1;')).toEqual({ rua: [], problems: [{ code: 'missing-rua', term: '' }] });
  });

  it('reports URIs that are neither mailto: nor https:', () => {
    expect(
      parseTlsRpt('v=TLSRPTv1; rua=http://rapports.exemple.fr, mailto:personne, ftp://exemple.fr, https://')
        .problems,
    ).toEqual([
      { code: 'invalid-rua', term: 'http://rapports.exemple.fr' },
      { code: 'invalid-rua', term: 'mailto:personne' },
      { code: 'invalid-rua', term: 'ftp://exemple.fr' },
      { code: 'invalid-rua', term: 'https://' },
    ]);
    expect(parseTlsRpt('v=TLSRPTv1; rua=').problems).toEqual([{ code: 'invalid-rua', term: 'rua=' }]);
  });

  it('reports version, duplicate and malformed fields', () => {
    expect(parseTlsRpt('rua=mailto:a@exemple.fr; v=TLSRPTv1').problems).toEqual([
      { code: 'version-not-first', term: 'v=TLSRPTv1' },
    ]);
    expect(parseTlsRpt('v=TLSRPTv2; rua=mailto:a@exemple.fr').problems).toEqual([
      { code: 'invalid-version', term: 'v=TLSRPTv2' },
    ]);
    expect(parseTlsRpt('rua=mailto:a@exemple.fr').problems).toEqual([{ code: 'missing-version', term: '' }]);
    const r = parseTlsRpt("v=TLSRPTv1; rua=mailto:a@exemple.fr; rua=mailto:b@exemple.fr; n'importe quoi");
    expect(r.problems).toEqual([
      { code: 'duplicate-tag', term: 'rua=mailto:b@exemple.fr' },
      { code: 'invalid-tag', term: "n'importe quoi" },
    ]);
    expect(r.rua).toEqual(['mailto:a@exemple.fr']);
  });
});
