import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../src/report/escape-xml.js';

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });

  it('leaves no CDATA terminator', () => {
    expect(escapeXml('x]]>y')).toBe('x]]&gt;y');
  });

  it('replaces characters XML 1.0 cannot carry, keeps tab and line breaks', () => {
    expect(escapeXml('bell\u0007 nul\u0000 esc\u001b ok\t\n\r')).toBe(
      'bell\uFFFD nul\uFFFD esc\uFFFD ok\t\n\r',
    );
    expect(escapeXml('lone \uD800 surrogate')).toBe('lone \uFFFD surrogate');
    expect(escapeXml('pair 😀 kept')).toBe('pair 😀 kept');
  });
});
