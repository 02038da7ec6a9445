import { Lexer } from 'yaml';

/**
 * Bounds every YAML text vigie reads must stay within, checked before the YAML parser sees it: the
 * parser recurses once per nesting level (a few KB of `[[[[` or `- - - -` overflow its stack, and a
 * second such document in the same process can abort Node), and aliases multiply what a small text
 * holds. vigie's own files nest less than ten levels deep and use a handful of aliases at most.
 */
export const YAML_LIMITS = {
  /** Largest file read, in bytes (8 MiB; a 10 000-asset inventory is about 3 MB). */
  maxBytes: 8 * 1024 * 1024,
  /** Deepest nesting of lists and tables, block and flow styles together. */
  maxDepth: 64,
  /** Most alias nodes (`*name`) in one document. */
  maxAliases: 100,
} as const;

export type YamlBoundsProblem =
  { kind: 'size'; bytes: number } | { kind: 'depth'; line: number } | { kind: 'aliases'; line: number };

/** The size bound alone: checked before any parser, the fast one included. */
export function checkYamlSize(text: string): YamlBoundsProblem | undefined {
  const bytes = text.length > YAML_LIMITS.maxBytes / 3 ? Buffer.byteLength(text) : text.length;
  return bytes > YAML_LIMITS.maxBytes ? { kind: 'size', bytes } : undefined;
}

/** An open block collection: the column it starts at, and whether it is a sequence (`- `). */
interface Block {
  column: number;
  sequence: boolean;
}

const CONTROL = new Set(['\x02', '\x18', '\x1f', '\u{FEFF}']);

/**
 * A linear pass over the lexical tokens (yaml's Lexer: quotes, comments and block scalars are read
 * as the parser reads them) that estimates how deeply collections nest, and counts aliases. Stops
 * at the first bound exceeded. The depth estimate may be up to half the real depth when a list sits
 * at its parent key's indentation on every level, which the limit allows for: the parser itself
 * copes with several hundred levels.
 */
export function checkYamlBounds(text: string): YamlBoundsProblem | undefined {
  const tooLarge = checkYamlSize(text);
  if (tooLarge !== undefined) return tooLarge;

  const blocks: Block[] = [];
  let flow = 0;
  let aliases = 0;
  let line = 1;
  let column = 0;
  let firstOnLine = true;

  /** A node (or a block indicator) starting the line at `at`: closes deeper blocks, opens one if new. */
  const placeLineStart = (at: number, sequence: boolean): void => {
    let top = blocks[blocks.length - 1];
    while (top !== undefined && (top.column > at || (top.column === at && top.sequence && !sequence))) {
      blocks.pop();
      top = blocks[blocks.length - 1];
    }
    // A sequence may sit at its parent key's column (`key:\n- item`): a level of its own.
    if (top !== undefined && top.column === at && top.sequence === sequence) return;
    if (top !== undefined && top.column === at && !sequence) return;
    blocks.push({ column: at, sequence });
  };

  for (const token of new Lexer().lex(text)) {
    if (CONTROL.has(token)) continue;
    const start = column;
    const newlines = countNewlines(token);
    if (newlines > 0) {
      line += newlines;
      column = token.length - 1 - token.lastIndexOf('\n');
    } else {
      column += token.length;
    }
    if (token === '\n' || token === '\r\n' || token === '') {
      firstOnLine = true;
      continue;
    }
    const head = token[0];
    if (head === ' ' || head === '\t' || head === '#') {
      // Indentation, spaces, comments, and a block scalar's content (it starts with its indentation).
      if (newlines > 0) firstOnLine = token.endsWith('\n');
      continue;
    }
    if (token === '---' || token === '...' || head === '%') {
      blocks.length = 0;
      flow = 0;
      firstOnLine = false;
      continue;
    }
    if (head === '*') {
      aliases += 1;
      if (aliases > YAML_LIMITS.maxAliases) return { kind: 'aliases', line };
    }
    if (flow === 0) {
      if (firstOnLine) placeLineStart(start, token === '-');
      // `- - x`, `? ? x`, `: - x`: compact collections nested on one line, each a level deeper.
      else if (token === '-' || token === '?') blocks.push({ column: start, sequence: token === '-' });
    }
    if (token === '[' || token === '{') flow += 1;
    else if ((token === ']' || token === '}') && flow > 0) flow -= 1;
    firstOnLine = token.endsWith('\n');
    if (blocks.length + flow > YAML_LIMITS.maxDepth) return { kind: 'depth', line };
  }
  return undefined;
}

function countNewlines(token: string): number {
  let count = 0;
  for (let i = token.indexOf('\n'); i >= 0; i = token.indexOf('\n', i + 1)) count += 1;
  return count;
}
