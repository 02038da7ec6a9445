/**
 * Where a YAML document may be read in pieces: a long block sequence under a key of the root mapping
 * (`assets:` and its thousands of items), cut between items. The fast path reads each piece as a
 * document of its own, so that the parser's events (about twenty per asset, 110 MB for 50 000
 * assets if the whole list is parsed at once) never exist for more than one piece (ADR 0033).
 *
 * This module only cuts text; the reader checks that each piece and the rest read as they must.
 */

/** One sequence taken out of the document: its key, and its items cut into pieces. */
export interface CutSequence {
  key: string;
  /** Offset of the key in `rest` (the key is left there with no value). */
  keyAt: number;
  /** Consecutive slices of the sequence, each starting on an item's `-` line, whole items only. */
  pieces: string[];
}

/** A document with its long sequences cut out. */
export interface YamlCut {
  /** The document without the sequences' lines: each of their keys is left with no value. */
  rest: string;
  sequences: CutSequence[];
}

export interface CutOptions {
  /** A sequence shorter than this (bytes of its lines) is left in place. */
  minBytes: number;
  /** A piece ends at the first item that starts at least this many bytes after its own start. */
  pieceBytes: number;
}

export const CUT_OPTIONS: CutOptions = { minBytes: 64 * 1024, pieceBytes: 64 * 1024 };

/**
 * A key of the root mapping written alone on its line (`assets:`, maybe a comment after it): no
 * value, anchor nor tag on the line, a plain key that reads as text.
 */
const KEY_LINE = /^([A-Za-z][A-Za-z0-9_-]*):(?:[ \t]+(?:#.*)?)?\r?$/;

const SPACE = 32;
const DASH = 45;
const HASH = 35;
const CR = 13;

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/** Whether the line from `at` (its first non-space character) to `end` is an item: `-` then a space or nothing. */
function isItem(text: string, at: number, end: number): boolean {
  if (text.charCodeAt(at) !== DASH) return false;
  const next = at + 1;
  return (
    next === end || text.charCodeAt(next) === SPACE || (text.charCodeAt(next) === CR && next + 1 === end)
  );
}

/**
 * The block sequence whose lines start at `start` (after its key's line): the offset of each item's
 * first line, and where the sequence's lines end (the next line of the root mapping, or the end of
 * the text). `undefined` when the lines that follow are not such a sequence, or when it ends on a
 * line that is not at the root's indentation.
 */
function sequenceAfter(text: string, start: number): { items: number[]; end: number } | undefined {
  const items: number[] = [];
  let indent = -1;
  let pos = start;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    let at = pos;
    while (at < end && text.charCodeAt(at) === SPACE) at += 1;
    const blank = at === end || (text.charCodeAt(at) === CR && at + 1 === end);
    if (!blank && text.charCodeAt(at) !== HASH) {
      const column = at - pos;
      const item = isItem(text, at, end);
      if (indent < 0) {
        if (!item) return undefined;
        indent = column;
        items.push(pos);
      } else if (column === indent && item) {
        items.push(pos);
      } else if (column <= indent) {
        // The sequence is over: only a key of the root mapping may follow it.
        return column === 0 ? { items, end: pos } : undefined;
      }
    }
    pos = end + 1;
  }
  return indent < 0 ? undefined : { items, end: text.length };
}

/**
 * Cuts out of `text` each block sequence under a key of the root mapping whose lines weigh at least
 * `options.minBytes`; `undefined` when there is none. Comments and blank lines before the first item
 * go with the first piece. The text is expected to have passed the fast path's screening (no tab in
 * an indentation, no carriage return alone, no document marker).
 */
export function cutLongSequences(text: string, options: CutOptions = CUT_OPTIONS): YamlCut | undefined {
  const rest: string[] = [];
  let restLength = 0;
  let copied = 0;
  const sequences: CutSequence[] = [];
  let pos = 0;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    const next = end + 1;
    const first = text.charCodeAt(pos);
    const letter = (first >= 65 && first <= 90) || (first >= 97 && first <= 122);
    const key = letter && next < text.length ? KEY_LINE.exec(text.slice(pos, end))?.[1] : undefined;
    const sequence = key === undefined ? undefined : sequenceAfter(text, next);
    if (key === undefined || sequence === undefined || sequence.end - next < options.minBytes) {
      pos = next;
      continue;
    }
    const kept = text.slice(copied, next);
    const keyAt = restLength + (pos - copied);
    rest.push(kept);
    restLength += kept.length;
    const pieces: string[] = [];
    let from = next;
    for (const item of sequence.items.slice(1)) {
      if (item - from >= options.pieceBytes) {
        pieces.push(text.slice(from, item));
        from = item;
      }
    }
    pieces.push(text.slice(from, sequence.end));
    sequences.push({ key, keyAt, pieces });
    copied = sequence.end;
    pos = sequence.end;
  }
  if (sequences.length === 0) return undefined;
  rest.push(text.slice(copied));
  return { rest: rest.join(''), sequences };
}
