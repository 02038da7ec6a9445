import type fc from 'fast-check';

/**
 * One parser under fuzzing. `check` runs it on one input and throws when an invariant breaks: an
 * exception other than the parser's own error, a result that is not what the contract says, a
 * round trip that is not stable. Time per input is bounded by the runner, memory by the process.
 */
export interface FuzzTarget<T extends string | Buffer = string | Buffer> {
  name: string;
  /** What `check` takes: text (UTF-8 in fixtures) or bytes. */
  input: T extends string ? 'text' : 'bytes';
  /** Short description for the report. */
  about: string;
  /** The inputs: seeds from the fixtures and vectors, mutated (built once per process). */
  arbitrary(): fc.Arbitrary<T>;
  check(input: T): void;
}

/** An invariant of a target did not hold: the fuzzer's finding, with what was expected. */
export class InvariantViolation extends Error {
  override name = 'InvariantViolation';
}

/** Runs `parse`; any exception that is not an instance of one of `allowed` breaks the invariant. */
export function onlyThrows<R>(
  parse: () => R,
  ...allowed: (abstract new (...args: never[]) => Error)[]
): R | undefined {
  try {
    return parse();
  } catch (error) {
    if (allowed.some((kind) => error instanceof kind)) return undefined;
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new InvariantViolation(`unexpected exception ${what}`, { cause: error });
  }
}

/** Throws an InvariantViolation unless `condition`. */
export function expectThat(condition: boolean, what: string): void {
  if (!condition) throw new InvariantViolation(what);
}

/** Structural equality of plain data (JSON-like, Maps, Buffers), for round trips. */
export function sameData(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Map) return { map: [...(v as Map<unknown, unknown>).entries()] };
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v)) {
      const o = v as Record<string, unknown>;
      if (o['type'] === 'Buffer' && Array.isArray(o['data'])) return v;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, o[k]]),
      );
    }
    return v;
  });
}
