import { Parser } from 'htmlparser2';
import type { HtmlElements, HtmlMeta, HtmlScript } from '../../domain/index.js';

/** Elements kept of each kind: a page with more is marked truncated (the body is already bounded). */
export const MAX_HTML_ELEMENTS = 2000;

/** The value of an attribute the element carries (an own property: never one inherited by the object). */
function attribute(attribs: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(attribs, name) ? attribs[name] : undefined;
}

/**
 * Reads the `<script>` and `<meta>` elements of a page with htmlparser2, the tokenizer the HTTP
 * Observatory uses (tag and attribute names lower-cased, entities decoded, the first of two
 * attributes of the same name kept). Nothing is fetched or executed; the input is the body as
 * bounded by the probe. Never throws: a page the parser gives up on yields what was read.
 */
export function collectHtmlElements(body: string): HtmlElements {
  const scripts: HtmlScript[] = [];
  const metas: HtmlMeta[] = [];
  let truncated = false;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name !== 'script' && name !== 'meta') return;
        const list: unknown[] = name === 'script' ? scripts : metas;
        if (list.length >= MAX_HTML_ELEMENTS) {
          truncated = true;
          return;
        }
        if (name === 'script') {
          const src = attribute(attribs, 'src');
          const integrity = attribute(attribs, 'integrity');
          const crossorigin = attribute(attribs, 'crossorigin');
          scripts.push({
            ...(src === undefined ? {} : { src }),
            ...(integrity === undefined ? {} : { integrity }),
            ...(crossorigin === undefined ? {} : { crossorigin }),
          });
        } else {
          const httpEquiv = attribute(attribs, 'http-equiv');
          const metaName = attribute(attribs, 'name');
          const content = attribute(attribs, 'content');
          metas.push({
            ...(httpEquiv === undefined ? {} : { httpEquiv }),
            ...(metaName === undefined ? {} : { name: metaName }),
            ...(content === undefined ? {} : { content }),
          });
        }
      },
    },
    { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
  );
  try {
    parser.write(body);
    parser.end();
  } catch {
    // htmlparser2 is forgiving and does not throw on bad markup; should it, what was read stands.
    truncated = true;
  }
  return { scripts, metas, truncated };
}
