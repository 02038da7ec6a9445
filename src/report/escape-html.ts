const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** C0 controls other than tab, line feed and carriage return, and DEL: never meaningful in a page. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * Escapes text for HTML (and SVG) element content and quoted attribute values: `&`, `<`, `>`, `"` and
 * `'` become entities, so no value from a report can open a tag, close an attribute or start an entity;
 * control characters become U+FFFD.
 */
export function escapeHtml(value: string | number): string {
  return String(value)
    .replace(CONTROLS, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
