/** Plain-text table with columns padded to their widest cell (display width of BMP text). */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * {@link renderTable}'s lines, one at a time, for rows read on demand: a first pass over `rows()`
 * measures the columns, a second writes them. The same text once joined by line breaks.
 */
export function* renderTableLines(
  header: readonly string[],
  rows: () => Iterable<readonly string[]>,
): Generator<string> {
  const widths = header.map((h) => h.length);
  for (const r of rows()) widths.forEach((w, i) => (widths[i] = Math.max(w, (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  yield line(header);
  yield widths.map((w) => '─'.repeat(w)).join('  ');
  for (const r of rows()) yield line(r);
}
