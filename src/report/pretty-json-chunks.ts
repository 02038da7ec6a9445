/**
 * `JSON.stringify(value, null, 2)` in pieces, byte for byte: objects key by key and arrays item by
 * item, at any depth, so a large scan result is written without building one huge string (nor one
 * for its posture: a line per asset). An array's items are stringified whole (one endpoint, one
 * finding, one asset's score: small). A list read on demand (an iterable with a `length`, not an
 * array: a spooled scan's endpoints) is written as the array it iterates, one item at a time, never
 * gathered.
 */
export function* prettyJsonChunks(value: unknown): Generator<string> {
  const v = jsonValueOf(value);
  if (!isContainer(v)) {
    const whole = JSON.stringify(v, null, 2);
    if (whole !== undefined) yield whole;
    return;
  }
  yield* containerChunks(v, '');
}

/** A plain object or an array (or a list read on demand): written piece by piece. */
function isContainer(v: unknown): v is object {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v) || isListView(v)) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A container whose first line is already written, its other lines indented by `pad`. */
function* containerChunks(v: object, pad: string): Generator<string> {
  const inner = `${pad}  `;
  if (Array.isArray(v) || isListView(v)) {
    if (v.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    let i = 0;
    for (const raw of Array.isArray(v) ? itemsOf(v) : v) {
      const item = toJsonValue(raw);
      const text = isSerialisable(item) ? JSON.stringify(item, null, 2) : 'null';
      yield `${i === 0 ? '' : ',\n'}${inner}${indent(text, inner)}`;
      i += 1;
    }
    yield `\n${pad}]`;
    return;
  }
  const entries = Object.entries(v as Record<string, unknown>)
    .map(([key, value]) => [key, jsonValueOf(value)] as const)
    .filter(([, value]) => isSerialisable(value));
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  let first = true;
  for (const [key, value] of entries) {
    yield `${first ? '' : ',\n'}${inner}${JSON.stringify(key)}: `;
    first = false;
    if (isContainer(value)) yield* containerChunks(value, inner);
    else yield indent(JSON.stringify(value, null, 2), inner);
  }
  yield `\n${pad}}`;
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

/** {@link toJsonValue}, but a list read on demand as it is (its `toJSON` would gather it whole). */
function jsonValueOf(v: unknown): unknown {
  return isListView(v) ? v : toJsonValue(v);
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
