import fc from 'fast-check';

/**
 * Mutators for seeded fuzzing with fast-check: an input is a seed (from the test fixtures and
 * vectors) and a short list of edits. fast-check draws them from its seed (deterministic) and, on a
 * failure, shrinks towards fewer and smaller edits: the counterexample is the smallest change of a
 * known-good input that breaks the invariant.
 */

/** Values that sit on the edges of length and count fields. */
const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0x81, 0xfe, 0xff] as const;
const INTERESTING_WORDS = [
  0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x4000, 0x7fff, 0x8000, 0xfffe, 0xffff,
] as const;

type ByteEdit =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'word'; at: number; width: 2 | 3; value: number; relative: boolean }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number; to: number }
  | { op: 'truncate'; at: number }
  | { op: 'splice'; at: number; from: number; other: number; length: number };

const position = fc.nat({ max: 1 << 20 });

const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: position, bit: fc.nat({ max: 7 }) }),
  fc.record({
    op: fc.constant('set' as const),
    at: position,
    value: fc.oneof(fc.constantFrom(...INTERESTING_BYTES), fc.nat({ max: 255 })),
  }),
  fc.record({
    op: fc.constant('word' as const),
    at: position,
    width: fc.constantFrom(2 as const, 3 as const),
    value: fc.oneof(fc.constantFrom(...INTERESTING_WORDS), fc.integer({ min: -4, max: 4 })),
    relative: fc.boolean(),
  }),
  fc.record({
    op: fc.constant('insert' as const),
    at: position,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ op: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    op: fc.constant('duplicate' as const),
    at: position,
    length: fc.integer({ min: 1, max: 64 }),
    to: position,
  }),
  fc.record({ op: fc.constant('truncate' as const), at: position }),
  fc.record({
    op: fc.constant('splice' as const),
    at: position,
    from: position,
    other: fc.nat({ max: 1 << 16 }),
    length: fc.integer({ min: 1, max: 256 }),
  }),
);

function applyByteEdit(input: Buffer, edit: ByteEdit, seeds: readonly Buffer[]): Buffer {
  const n = input.length;
  const at = n === 0 ? 0 : edit.at % n;
  switch (edit.op) {
    case 'flip': {
      if (n === 0) return input;
      const out = Buffer.from(input);
      out[at] = (out[at] ?? 0) ^ (1 << edit.bit);
      return out;
    }
    case 'set': {
      if (n === 0) return Buffer.from([edit.value]);
      const out = Buffer.from(input);
      out[at] = edit.value;
      return out;
    }
    case 'word': {
      if (n < edit.width) return input;
      const start = edit.at % (n - edit.width + 1);
      const current = edit.width === 2 ? input.readUInt16BE(start) : input.readUIntBE(start, 3);
      const max = edit.width === 2 ? 0xffff : 0xffffff;
      const value = edit.relative ? current + edit.value : edit.value;
      const out = Buffer.from(input);
      out.writeUIntBE(((value % (max + 1)) + max + 1) % (max + 1), start, edit.width);
      return out;
    }
    case 'insert':
      return Buffer.concat([input.subarray(0, at), Buffer.from(edit.bytes), input.subarray(at)]);
    case 'delete':
      return Buffer.concat([input.subarray(0, at), input.subarray(at + edit.length)]);
    case 'duplicate': {
      const chunk = input.subarray(at, at + edit.length);
      const to = n === 0 ? 0 : edit.to % n;
      return Buffer.concat([input.subarray(0, to), chunk, input.subarray(to)]);
    }
    case 'truncate':
      return input.subarray(0, at);
    case 'splice': {
      const other = seeds[edit.other % Math.max(1, seeds.length)] ?? Buffer.alloc(0);
      const from = other.length === 0 ? 0 : edit.from % other.length;
      return Buffer.concat([
        input.subarray(0, at),
        other.subarray(from, from + edit.length),
        input.subarray(at),
      ]);
    }
  }
}

/** Bytes: a seed with up to `maxEdits` edits (most inputs), or raw random bytes (a few). */
export function mutatedBytes(seeds: readonly Buffer[], opts: { maxEdits?: number; maxLength?: number } = {}) {
  if (seeds.length === 0) throw new Error('a byte target needs at least one seed');
  const maxLength = opts.maxLength ?? 1 << 20;
  const edited = fc
    .record({
      seed: fc.nat({ max: seeds.length - 1 }),
      edits: fc.array(byteEdit, { maxLength: opts.maxEdits ?? 6 }),
    })
    .map(({ seed, edits }) => {
      let out = seeds[seed] ?? Buffer.alloc(0);
      for (const edit of edits) out = applyByteEdit(out, edit, seeds).subarray(0, maxLength);
      return out;
    });
  const random = fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a));
  return fc.oneof({ weight: 9, arbitrary: edited }, { weight: 1, arbitrary: random });
}

type TextEdit =
  | { op: 'insert'; at: number; text: string }
  | { op: 'token'; at: number; token: number }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number; to: number }
  | { op: 'replace'; at: number; char: string }
  | { op: 'truncate'; at: number };

function applyTextEdit(input: string, edit: TextEdit, tokens: readonly string[]): string {
  const n = input.length;
  const at = n === 0 ? 0 : edit.at % (n + 1);
  switch (edit.op) {
    case 'insert':
      return input.slice(0, at) + edit.text + input.slice(at);
    case 'token':
      return input.slice(0, at) + (tokens[edit.token % Math.max(1, tokens.length)] ?? '') + input.slice(at);
    case 'delete':
      return input.slice(0, at) + input.slice(at + edit.length);
    case 'duplicate': {
      const to = n === 0 ? 0 : edit.to % (n + 1);
      return input.slice(0, to) + input.slice(at, at + edit.length) + input.slice(to);
    }
    case 'replace':
      return n === 0 ? edit.char : input.slice(0, at) + edit.char + input.slice(at + 1);
    case 'truncate':
      return input.slice(0, at);
  }
}

const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
  );

/**
 * Text: a seed with up to `maxEdits` edits (inserted tokens of the format, random characters,
 * deletions, duplications), or random text.
 */
export function mutatedText(
  seeds: readonly string[],
  tokens: readonly string[],
  opts: { maxEdits?: number; maxLength?: number } = {},
) {
  if (seeds.length === 0) throw new Error('a text target needs at least one seed');
  const maxLength = opts.maxLength ?? 1 << 20;
  const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
    fc.record({ op: fc.constant('insert' as const), at: position, text: anyText(8) }),
    fc.record({ op: fc.constant('token' as const), at: position, token: fc.nat({ max: 1 << 16 }) }),
    fc.record({ op: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 32 }) }),
    fc.record({
      op: fc.constant('duplicate' as const),
      at: position,
      length: fc.integer({ min: 1, max: 64 }),
      to: position,
    }),
    fc.record({
      op: fc.constant('replace' as const),
      at: position,
      char: fc.string({ minLength: 1, maxLength: 1 }),
    }),
    fc.record({ op: fc.constant('truncate' as const), at: position }),
  );
  const edited = fc
    .record({
      seed: fc.nat({ max: seeds.length - 1 }),
      edits: fc.array(textEdit, { maxLength: opts.maxEdits ?? 6 }),
    })
    .map(({ seed, edits }) => {
      let out = seeds[seed] ?? '';
      for (const edit of edits) out = applyTextEdit(out, edit, tokens).slice(0, maxLength);
      return out;
    });
  const fromTokens = fc
    .array(fc.constantFrom(...(tokens.length > 0 ? tokens : [' '])), { maxLength: 24 })
    .map((t) => t.join(''));
  return fc.oneof(
    { weight: 8, arbitrary: edited },
    { weight: 1, arbitrary: fromTokens },
    { weight: 1, arbitrary: anyText(256) },
  );
}
