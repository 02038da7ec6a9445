const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Characters XML 1.0 forbids even as references (C0 controls other than tab, line feed and carriage
 * return, lone surrogates, U+FFFE and U+FFFF).
 */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes text for XML content and quoted attribute values; characters XML cannot carry at all are
 * replaced by U+FFFD so the document stays well-formed whatever a banner or evidence contained.
 */
export function escapeXml(value: string | number): string {
  return String(value)
    .replace(FORBIDDEN, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
