import { describe, expect, it } from 'vitest';
import { DUPLICATES_KEY, parseObservatoryCsp } from '../../src/grading/observatory-csp.js';

/** The parse as plain data: directive → sorted sources. */
function parsed(...policies: string[]): Record<string, string[]> | undefined {
  const csp = parseObservatoryCsp(policies);
  return csp && Object.fromEntries([...csp].map(([d, s]) => [d, [...s].sort()]));
}

describe('parseObservatoryCsp (the Observatory’s cspParser)', () => {
  it('reads one policy: directives lower-cased, sources lower-cased, an empty *-src as none', () => {
    expect(parsed("Default-Src 'NONE'; script-src 'self' HTTPS://Mozilla.org; img-src")).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'", 'https://mozilla.org'],
      'img-src': ["'none'"],
    });
  });

  it('drops a source made superfluous by a shorter one of the same policy', () => {
    expect(parsed('script-src https://a.example/js https://a.example/js/lib.js')).toEqual({
      'script-src': ['https://a.example/js'],
    });
  });

  it('keeps, across policies, only the sources every policy naming the directive allows', () => {
    expect(
      parsed(
        "default-src 'none'; script-src 'self' https://mozilla.org",
        "default-src 'none'; script-src https://example.com 'self' https://mozilla.org",
      ),
    ).toEqual({ 'default-src': ["'none'"], 'script-src': ["'self'", 'https://mozilla.org'] });
    expect(parsed('default-src https://mozilla.org', 'default-src https://mozilla.com')).toEqual({
      'default-src': ["'none'"],
    });
    expect(parsed('default-src http:', 'default-src https:')).toEqual({ 'default-src': ["'none'"] });
    expect(
      parsed(
        'default-src https://mozilla.org https://mozilla.net https://mozilla.com',
        'default-src https://mozilla.ninja https://mozilla.net https://mozilla.org',
        'default-src https://mozilla.net https://mozilla.fox https://mozilla.org',
      ),
    ).toEqual({ 'default-src': ['https://mozilla.net', 'https://mozilla.org'] });
  });

  it('matches paths segment by segment, a trailing slash covering what lies below', () => {
    expect(
      parsed('default-src https://mozilla.org/fire', 'default-src https://mozilla.org/firefox/'),
    ).toEqual({
      'default-src': ["'none'"],
    });
    expect(
      parsed('default-src https://mozilla.org/firefox/', 'default-src https://mozilla.org/firefox/download/'),
    ).toEqual({ 'default-src': ['https://mozilla.org/firefox/download/'] });
    expect(parsed('default-src https://a.example/%7Euser', 'default-src https://a.example/~user')).toEqual({
      'default-src': ['https://a.example/~user'],
    });
  });

  it('gives nothing to a directive that only a later policy names, and keeps one only the first names', () => {
    expect(parsed("default-src 'self'", "script-src 'self'")).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'none'"],
    });
  });

  it('calls invalid an empty or too short policy, a repeated directive, a bad escape met in merging', () => {
    for (const policy of [
      '  ',
      '\r\n',
      '',
      'defa',
      "default-src 'none'; img-src 'self'; default-src 'none'",
    ]) {
      expect(parseObservatoryCsp([policy]), JSON.stringify(policy)).toBeUndefined();
    }
    expect(parseObservatoryCsp(["default-src 'none'", ''])).toBeUndefined();
    expect(
      parseObservatoryCsp([
        'default-src https://a.example/%E0%A4%A',
        'default-src https://a.example/%E0%A4%A',
      ]),
    ).toBeUndefined();
    expect(parseObservatoryCsp([])).toEqual(new Map());
  });

  it('allows report-uri and report-to twice, and records it', () => {
    const csp = parseObservatoryCsp(['report-uri /a ; report-uri /b; report-to x; report-to y']);
    expect([...(csp?.get(DUPLICATES_KEY) ?? [])].sort()).toEqual(['report-to', 'report-uri']);
    // As in the Observatory, the later occurrence of the first policy is the one kept.
    expect([...(csp?.get('report-uri') ?? [])]).toEqual(['/b']);
  });
});
