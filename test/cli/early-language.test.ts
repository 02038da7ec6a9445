import { describe, expect, it } from 'vitest';
import { earlyLanguage, hoistLanguageFlag, languageFlagValue } from '../../src/cli/early-language.js';
import { closest, editDistance } from '../../src/cli/suggest.js';

describe('earlyLanguage', () => {
  it('takes --lang anywhere before --, then VIGIE_LANG, then French', () => {
    expect(earlyLanguage([], {})).toBe('fr');
    expect(earlyLanguage([], { VIGIE_LANG: 'en' })).toBe('en');
    expect(earlyLanguage(['scan', '--help'], { VIGIE_LANG: 'de' })).toBe('fr');
    expect(earlyLanguage(['--lang', 'en', 'scan'], {})).toBe('en');
    expect(earlyLanguage(['scan', '--help', '--lang=en'], {})).toBe('en');
    expect(earlyLanguage(['scan', '--lang', 'fr'], { VIGIE_LANG: 'en' })).toBe('fr');
    // After --, and an unknown value, are not a language choice.
    expect(earlyLanguage(['scan', '--', '--lang', 'en'], {})).toBe('fr');
    expect(earlyLanguage(['scan', '--lang', 'de'], { VIGIE_LANG: 'en' })).toBe('en');
    expect(languageFlagValue(['--lang'])).toBeUndefined();
  });

  it('moves a --lang given before the command id after it, so that oclif finds the command', () => {
    expect(hoistLanguageFlag(['--lang', 'en', 'scan', '--help'])).toEqual(['scan', '--help', '--lang=en']);
    expect(hoistLanguageFlag(['--lang=en', 'findings', 'list'])).toEqual(['findings', 'list', '--lang=en']);
    expect(hoistLanguageFlag(['--lang', 'en', 'scan', 'h', '--', 'x'])).toEqual([
      'scan',
      'h',
      '--lang=en',
      '--',
      'x',
    ]);
    expect(hoistLanguageFlag(['--lang', 'en', '--version'])).toEqual(['--version', '--lang=en']);
    // `vigie --lang en` alone is the root help.
    expect(hoistLanguageFlag(['--lang', 'en'])).toEqual(['--help', '--lang=en']);
    // oclif's help command knows no --lang: the line becomes the same request with --help.
    expect(hoistLanguageFlag(['help', 'scan', '--lang', 'en'])).toEqual(['scan', '--lang', 'en', '--help']);
    expect(hoistLanguageFlag(['--lang', 'en', 'help'])).toEqual(['--lang=en', '--help']);
    expect(hoistLanguageFlag(['help', 'scan'])).toEqual(['help', 'scan']);
    // Elsewhere on the line, oclif parses it itself: the line is kept as it is.
    expect(hoistLanguageFlag(['scan', '--lang', 'en'])).toEqual(['scan', '--lang', 'en']);
  });
});

describe('closest', () => {
  it('suggests a near word (typo, transposition, prefix), and nothing for a far one', () => {
    expect(editDistance('scna', 'scan')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closest('scna', ['init', 'scan', 'report'])).toBe('scan');
    expect(closest('formt', ['format', 'output', 'fail-on'])).toBe('format');
    expect(closest('finding list', ['findings list', 'findings show'])).toBe('findings list');
    expect(closest('dae', ['daemon', 'demo'])).toBe('daemon');
    expect(closest('zzz', ['scan', 'init', 'demo'])).toBeUndefined();
    expect(closest('x', ['scan'])).toBeUndefined();
  });
});
