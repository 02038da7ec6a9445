import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/report/escape-html.js';

describe('escapeHtml', () => {
  it('turns a script tag into inert text', () => {
    expect(escapeHtml('<script>alert("x")</script>')).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;',
    );
  });

  it('cannot be broken out of a quoted attribute, single or double', () => {
    const out = escapeHtml(`" onmouseover='alert(1)' x="`);
    expect(out).not.toMatch(/["']/);
    expect(out).toBe('&quot; onmouseover=&#39;alert(1)&#39; x=&quot;');
  });

  it('escapes ampersands first, so an existing entity is shown, not decoded', () => {
    expect(escapeHtml('&lt; & &amp;')).toBe('&amp;lt; &amp; &amp;amp;');
  });

  it('keeps ordinary French text and numbers as they are', () => {
    expect(escapeHtml('Certificat « expiré » — l’hôte')).toBe('Certificat « expiré » — l’hôte');
    expect(escapeHtml(72.5)).toBe('72.5');
  });

  it('replaces control characters but keeps line breaks and tabs', () => {
    expect(escapeHtml('a\u0007b\u001bc\n\td')).toBe('a\uFFFDb\uFFFDc\n\td');
  });
});
