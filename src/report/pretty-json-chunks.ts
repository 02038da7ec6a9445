/**
 * `JSON.stringify(value, null, 2)` in pieces, byte for byte: the top-level object key by key and its
 * arrays item by item, so a large scan result is written without building one huge string. Deeper
 * values are stringified whole (one endpoint, one finding: small). A top-level list read on demand
 * (an iterable with a `length`, not an array: a spooled scan's endpoints) is written as the array it
 * iterates, one item at a time, never gathered.
 */
export function* prettyJsonChunks(value: unknown): Generator<string> {
  const top = toJsonValue(value);
  if (top === null || typeof top !== 'object' || Array.isArray(top)) {
    const whole = JSON.stringify(top, null, 2);
    if (whole !== undefined) yield whole;
    return;
  }
  const entries = Object.entries(top as Record<string, unknown>)
    .map(([key, v]) => [key, isListView(v) ? v : toJsonValue(v)] as const)
    .filter(([, v]) => isSerialisable(v));
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  let first = true;
  for (const [key, v] of entries) {
    yield `${first ? '' : ',\n'}  ${JSON.stringify(key)}: `;
    first = false;
    if ((Array.isArray(v) || isListView(v)) && v.length > 0) {
      yield '[\n';
      let i = 0;
      for (const raw of Array.isArray(v) ? itemsOf(v) : v) {
        const item = toJsonValue(raw);
        const text = isSerialisable(item) ? JSON.stringify(item, null, 2) : 'null';
        yield `${i === 0 ? '' : ',\n'}    ${indent(text, '    ')}`;
        i += 1;
      }
      yield '\n  ]';
    } else if (isListView(v)) {
      yield '[]';
    } else {
      yield indent(JSON.stringify(v, null, 2), '  ');
    }
  }
  yield '\n}';
}

/** An array's items by index (a hole is an item too: undefined, written null). */
function* itemsOf(a: readonly unknown[]): Generator<unknown> {
  for (let k = 0; k < a.length; k++) yield a[k];
}

/** A list read on demand: iterable, with a length, not an array (nor a string). */
function isListView(v: unknown): v is Iterable<unknown> & { length: number } {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    typeof (v as { length?: unknown }).length === 'number' &&
    typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

/** What JSON.stringify would serialise in place of `v` (its `toJSON`, if any). */
function toJsonValue(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return (v as { toJSON: () => unknown }).toJSON();
  }
  return v;
}

/** Object members of these types are left out by JSON.stringify (array items become null). */
function isSerialisable(v: unknown): boolean {
  return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
}

/** JSON text has no raw line break inside strings: every one starts a line to indent. */
function indent(text: string, by: string): string {
  return text.replace(/\n/g, `\n${by}`);
}

/** The chunks gathered in pieces of about 64 KiB, the last one ending with a line break. */
export function* prettyJsonPieces(value: unknown): Generator<string> {
  let buffer = '';
  for (const chunk of prettyJsonChunks(value)) {
    buffer += chunk;
    if (buffer.length >= 65_536) {
      yield buffer;
      buffer = '';
    }
  }
  yield `${buffer}\n`;
}

/** Writes the chunks through `write`, gathered in pieces of about 64 KiB. */
export function writePrettyJson(value: unknown, write: (piece: string) => void): void {
  for (const piece of prettyJsonPieces(value)) write(piece);
}
