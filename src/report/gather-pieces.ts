/** Bytes (UTF-16 units) gathered before one write: a document goes out in pieces of about 64 KiB. */
const PIECE = 65_536;

/**
 * Small pieces gathered into pieces of about 64 KiB before they reach `write` (a file or standard
 * output written to once per piece, not once per cell or token); `end` writes what is left, even
 * nothing.
 */
export function gatherPieces(write: (piece: string) => void): {
  write: (piece: string) => void;
  end: () => void;
} {
  let buffer = '';
  return {
    write: (piece) => {
      buffer += piece;
      if (buffer.length < PIECE) return;
      write(buffer);
      buffer = '';
    },
    end: () => {
      write(buffer);
      buffer = '';
    },
  };
}
