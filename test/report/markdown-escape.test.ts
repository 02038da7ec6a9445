import { describe, expect, it } from 'vitest';
import { codeSpan, escapeMarkdown } from '../../src/report/markdown-escape.js';

describe('escapeMarkdown', () => {
  it('keeps raw HTML out of the rendered page', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('escapes emphasis, strike-through, links, code and table pipes', () => {
    expect(escapeMarkdown('*a* _b_ ~~c~~ [d](e) `f` | g')).toBe(
      '\\*a\\* \\_b\\_ \\~\\~c\\~\\~ \\[d\\](e) \\`f\\` \\| g',
    );
  });

  it('keeps one line and neutralises entity-like text only', () => {
    expect(escapeMarkdown('a\nb\r\nc')).toBe('a b c');
    expect(escapeMarkdown('R&D &lt;')).toBe('R&D &amp;lt;');
  });
});

describe('codeSpan', () => {
  it('wraps plain text in single backticks', () => {
    expect(codeSpan('tls.cert.expired')).toBe('`tls.cert.expired`');
  });

  it('uses a fence longer than any backtick run inside', () => {
    expect(codeSpan('a``b')).toBe('```a``b```');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
  });

  it('escapes pipes so a table cell is not split', () => {
    expect(codeSpan('a|b')).toBe('`a\\|b`');
  });
});
