import { constructFromEvents, CORE_SCHEMA, parseEvents, type Event } from 'js-yaml';
import type { DocumentPath } from './format-path.js';
import { CUT_OPTIONS, cutLongSequences, type CutOptions } from './yaml-pieces.js';
import { YAML_LIMITS } from './yaml-bounds.js';
import type { ItemTaker, YamlSource } from './yaml-source.js';

// js-yaml's event codes (EVENT_ID), spelled out so that the hot loop compares plain numbers.
const DOCUMENT = 1;
const SEQUENCE = 2;
const MAPPING = 3;
const SCALAR = 4;
const ALIAS = 5;
const POP = 6;
const PLAIN = 1;
const BLOCK = 1;

/**
 * A plain key that YAML 1.2's core schema reads as null, a boolean or a number. vigie's reader keeps
 * keys as written (`0x10` stays "0x10"), js-yaml would turn them into what they mean ("16"): such a
 * document takes the careful path, which reads it as before.
 */
const NON_TEXT_KEY =
  /^(?:|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9][0-9a-zA-Z._+-]*|[-+]?\.[0-9a-zA-Z]+|0[ox][0-9a-fA-F]+)$/;

/** Keys this long or longer are left to the careful path, which applies YAML's limit of 1024. */
const LONG_KEY = 1000;

/**
 * A plain number beyond what a double holds: js-yaml keeps the text ("1e400"), the careful path
 * reads Infinity as YAML says.
 */
const HUGE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;

/**
 * Where the two parsers part ways, in forms rare in vigie's files: document markers and directives
 * (`---`, `...`, `%YAML`, even indented; they disagree on what may follow an end marker), a tab in an indentation
 * (refused by YAML), a carriage return alone (a line break for js-yaml only). Such text takes the
 * careful path.
 */
const MARKERS = /^[ \t]*(?:---|\.\.\.|%)|^ *\t|\r(?!\n)/m;

/**
 * The fast way through a YAML document, for the common case of a well-formed file: js-yaml's event
 * parser and constructor read a 10 000-asset inventory about six times faster than the `yaml`
 * library, in a third of the memory (ADR 0019). It answers `undefined` — and the caller takes the
 * careful path, which words every problem with its line — whenever the document is not one plain
 * document of text keys: a syntax error, several documents, a duplicate or non-text key, an unknown
 * tag. Its values are those of YAML 1.2's core schema, as the careful path gives them (a test compares
 * both on generated documents). A long sequence under a key of the root mapping (the inventory's
 * `assets:`) is read in pieces of whole items (ADR 0033): the parser's events, over three times the
 * size of the value they make, then never exist for more than one piece; `cut` sets the pieces' size.
 */
export function fastYamlSource(
  text: string,
  locate: (text: string) => YamlSource,
  cut: CutOptions = CUT_OPTIONS,
  items?: ItemTaker,
): YamlSource | undefined {
  // Within the same bounds as the careful path's pre-scan: a deeper document, or one with more
  // aliases, goes there to be refused with its line.
  if (MARKERS.test(text)) return undefined;
  const read: { value: unknown; taken?: boolean } | undefined =
    readInPieces(text, cut, items) ?? readWhole(text, YAML_LIMITS.maxDepth);
  if (read === undefined) return undefined;
  // A sequence not read in pieces (short, or in flow style) has its items taken now.
  const taken = read.taken ?? (items !== undefined && takeFromRoot(read.value, items));
  // Lines are wanted only to locate a problem: they come from the careful parse of the same text,
  // done then, so that both paths point at the same line by construction.
  let careful: YamlSource | null | undefined;
  const lineOf = (path: DocumentPath): number | undefined => {
    if (careful === undefined) {
      try {
        careful = locate(text);
      } catch {
        careful = null; // the fuzz target `yaml-two-paths` looks for such a text: none known
      }
    }
    return careful?.lineOf(path);
  };
  return { value: read.value, lineOf, ...(taken ? { taken: true as const } : {}) };
}

/** `items.take` of each item, or `undefined` as soon as one does not pass. */
function takeAll(list: readonly unknown[], items: ItemTaker): unknown[] | undefined {
  const kept: unknown[] = [];
  for (const item of list) {
    const made = items.take(item);
    if (made === undefined) return undefined;
    kept.push(made);
  }
  return kept;
}

/** Replaces the items of the root's sequence `items.key` by what `items.take` makes of them, if it takes them all. */
function takeFromRoot(root: unknown, items: ItemTaker): boolean {
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return false;
  const list = (root as Record<string, unknown>)[items.key];
  if (!Array.isArray(list)) return false;
  const kept = takeAll(list, items);
  if (kept === undefined) return false;
  (root as Record<string, unknown>)[items.key] = kept;
  return true;
}

/** One document read the fast way, with its number of aliases; `undefined`: not one the careful path reads alike. */
function readWhole(
  text: string,
  maxDepth: number,
  accept: (events: readonly Event[]) => boolean = () => true,
): { value: unknown; aliases: number } | undefined {
  try {
    const events = parseEvents(text, { maxDepth });
    let documents = 0;
    let aliases = 0;
    for (const e of events) {
      if (e.type === DOCUMENT) documents += 1;
      else if (e.type === ALIAS) aliases += 1;
    }
    if (documents !== 1 || !accept(events) || !readsAsCareful(events, text)) return undefined;
    const values = constructFromEvents(events, {
      source: text,
      schema: CORE_SCHEMA,
      maxAliases: YAML_LIMITS.maxAliases,
    });
    return values.length === 1 ? { value: values[0], aliases } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The document read in pieces (see yaml-pieces.ts): the rest of it, a block mapping whose cut keys
 * have no value, then each cut sequence piece by piece, each piece a block sequence read as a document
 * of its own. `undefined` when the document has no long sequence, or when any part does not read as
 * it must: an alias from one part to another (unknown in the part), a construct left open at a cut
 * (a quote, a bracket: a syntax error in the part), more aliases than allowed in all. The whole
 * document is then read at once, as before.
 */
function readInPieces(
  text: string,
  options: CutOptions,
  items?: ItemTaker,
): { value: unknown; taken?: boolean } | undefined {
  const cut = cutLongSequences(text, options);
  if (cut === undefined) return undefined;
  const taker = items && cut.sequences.some((s) => s.key === items.key) ? items : undefined;
  const rest = readWhole(
    cut.rest,
    YAML_LIMITS.maxDepth,
    (events) =>
      events[1]?.type === MAPPING &&
      events[1].style === BLOCK &&
      cut.sequences.every((s) => isRootKeyWithoutValue(events, s.keyAt)),
  );
  const root = rest?.value;
  if (rest === undefined || typeof root !== 'object' || root === null || Array.isArray(root))
    return undefined;
  let aliases = rest.aliases;
  for (const sequence of cut.sequences) {
    const list: unknown[] = [];
    for (const piece of sequence.pieces) {
      // A piece's items sit one level higher than in the document (no root mapping above them).
      const read = readWhole(
        piece,
        YAML_LIMITS.maxDepth - 1,
        (events) => events[1]?.type === SEQUENCE && events[1].style === BLOCK && events[1].anchorStart < 0,
      );
      if (read === undefined || !Array.isArray(read.value)) return undefined;
      aliases += read.aliases;
      if (aliases > YAML_LIMITS.maxAliases) return undefined;
      // Taken as read: the piece's items as written are then left to the garbage collector.
      const kept =
        sequence.key === taker?.key ? takeAll(read.value as unknown[], taker) : (read.value as unknown[]);
      // An item that does not pass: all are read again as written, for each problem to be worded.
      if (kept === undefined) {
        const plain = readInPieces(text, options);
        return plain && { ...plain, taken: false };
      }
      for (const item of kept) list.push(item);
    }
    (root as Record<string, unknown>)[sequence.key] = list;
  }
  return { value: root, ...(taker ? { taken: true } : {}) };
}

/** Whether the key at `keyAt` is a key of the root mapping, followed by no value (no anchor, no tag). */
function isRootKeyWithoutValue(events: readonly Event[], keyAt: number): boolean {
  let depth = 0;
  let node = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as Event;
    if (e.type === POP) {
      depth -= 1;
      continue;
    }
    // Depth 2: the root mapping's own keys and values, alternately.
    if (depth === 2) {
      if (node % 2 === 0 && e.type === SCALAR && e.valueStart === keyAt) {
        const value = events[i + 1];
        return value?.type === SCALAR && value.valueStart < 0 && value.anchorStart < 0 && value.tagStart < 0;
      }
      node += 1;
    }
    if (e.type === DOCUMENT || e.type === MAPPING || e.type === SEQUENCE) depth += 1;
  }
  return false;
}

/**
 * Whether the careful path would read the same: no tag, every key of every mapping a scalar that
 * reads as text (see NON_TEXT_KEY) and is not too long, no plain number that overflows (see
 * HUGE_FLOAT), no alias to a collection that contains it (a cycle), no block mapping opening on
 * its key's line.
 */
function readsAsCareful(events: readonly Event[], text: string): boolean {
  // For each open node (document or collection): a mapping?, is its next node a key?, its anchor.
  const inMapping: boolean[] = [];
  const atKey: boolean[] = [];
  const anchors: string[] = [];
  // Offset of the last key read in each open mapping.
  const keyAt: number[] = [];
  for (const e of events) {
    if (e.type === POP) {
      inMapping.pop();
      atKey.pop();
      anchors.pop();
      keyAt.pop();
      continue;
    }
    if (e.type === DOCUMENT) {
      inMapping.push(false);
      atKey.push(false);
      anchors.push('');
      keyAt.push(-1);
      continue;
    }
    if (e.type === ALIAS) {
      if (anchors.includes(text.slice(e.anchorStart, e.anchorEnd))) return false;
    } else if (e.tagStart >= 0) {
      return false;
    }
    const depth = inMapping.length - 1;
    const isKey = inMapping[depth] === true && atKey[depth] === true;
    if (inMapping[depth] === true) atKey[depth] = !isKey;
    if (isKey && e.type !== SCALAR) return false;
    if (isKey && e.type === SCALAR) keyAt[depth] = e.valueStart;
    // A block mapping as the value of a key on the same line (`a: &x b: c`): YAML refuses it.
    if (e.type === MAPPING && e.style === BLOCK && inMapping[depth] === true && !isKey) {
      const key = keyAt[depth] ?? -1;
      if (key >= 0 && !text.slice(key, e.start).includes('\n')) return false;
    }
    if (e.type === SCALAR) {
      // YAML limits an implicit key to 1024 characters; js-yaml does not.
      if (isKey && e.valueEnd - e.valueStart >= LONG_KEY) return false;
      if (e.style !== PLAIN) continue;
      const first = text.charCodeAt(e.valueStart);
      const numeric = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
      const raw = isKey || numeric ? text.slice(e.valueStart, e.valueEnd) : '';
      if (isKey && NON_TEXT_KEY.test(raw)) return false;
      if (numeric && HUGE_FLOAT.test(raw) && !Number.isFinite(Number.parseFloat(raw))) return false;
    }
    if (e.type === MAPPING || e.type === SEQUENCE) {
      inMapping.push(e.type === MAPPING);
      atKey.push(e.type === MAPPING);
      anchors.push(e.anchorStart >= 0 ? text.slice(e.anchorStart, e.anchorEnd) : '');
      keyAt.push(-1);
    }
  }
  return true;
}
