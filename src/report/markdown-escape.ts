// eslint-disable-next-line no-control-regex -- control characters and line breaks are what is removed
const BREAKS = /[\u0000-\u001F\u007F\u2028\u2029]+/g;

/**
 * Makes a value safe as inline Markdown text (also inside a table cell): one line, emphasis, code,
 * link, strike-through and table characters backslash-escaped, and `<`, `>` and entity-like `&` turned
 * into entities so no raw HTML, autolink or entity reaches the rendered page.
 */
export function escapeMarkdown(value: string | number): string {
  return String(value)
    .replace(BREAKS, ' ')
    .replace(/[\\`*_~[\]|]/g, (c) => `\\${c}`)
    .replace(/&(?=#?\w+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * A Markdown code span holding the value verbatim: a fence longer than any run of backticks inside,
 * one line, and `|` escaped so a table cell is not split (GFM removes that backslash in tables).
 */
export function codeSpan(value: string | number): string {
  const text = String(value).replace(BREAKS, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
