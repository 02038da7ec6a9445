import { describe, expect, it } from 'vitest';
import { collectHtmlElements, MAX_HTML_ELEMENTS } from '../../../src/probes/http/html-elements.js';

describe('collectHtmlElements', () => {
  it('reads scripts and metas in document order, names in any case, entities decoded, first attribute kept', () => {
    const html = collectHtmlElements(
      '<html><head><Meta Http-Equiv="Content-Security-Policy" content="script-src &#39;self&#39;" content="ignored">' +
        '<meta charset="utf-8"><meta name=referrer content=no-referrer>' +
        '<SCRIPT SRC="/a.js?x=1&amp;y=2" Integrity="sha384-abc" integrity="sha384-other"></SCRIPT>' +
        '<script async src></script></head></html>',
    );
    expect(html.metas).toEqual([
      { httpEquiv: 'Content-Security-Policy', content: "script-src 'self'" },
      {},
      { name: 'referrer', content: 'no-referrer' },
    ]);
    expect(html.scripts).toEqual([{ src: '/a.js?x=1&y=2', integrity: 'sha384-abc' }, { src: '' }]);
    expect(html.truncated).toBe(false);
  });

  it('does not take markup inside comments, script text or attribute values for elements', () => {
    const html = collectHtmlElements(
      '<!-- <script src="https://commented.example/x.js"></script> -->' +
        "<script>document.write('<script src=\"https://written.example/x.js\"></scr' + 'ipt>')</script>" +
        '<div title="<script src=https://attr.example/x.js></script>"></div>',
    );
    expect(html.scripts).toEqual([{}]);
  });

  it('keeps at most MAX_HTML_ELEMENTS of each kind and says so, without an own property trap', () => {
    const many = collectHtmlElements(
      '<script __proto__="x" src="/s.js"></script>'.repeat(MAX_HTML_ELEMENTS + 5),
    );
    expect(many.scripts).toHaveLength(MAX_HTML_ELEMENTS);
    expect(many.truncated).toBe(true);
    expect(Object.getPrototypeOf(many.scripts[0])).toBe(Object.prototype);
    expect(collectHtmlElements('').scripts).toEqual([]);
  });
});
