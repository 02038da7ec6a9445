/**
 * Colour only for a terminal, and never against the user's wish: FORCE_COLOR (other than `0`) turns it
 * on even when piped, NO_COLOR (any non-empty value, https://no-color.org) turns it off, then the
 * stream decides (a TTY gets colour, a pipe or a file does not). FORCE_COLOR wins, as in Node itself.
 */
export function colourEnabled(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined> = process.env,
): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env['NO_COLOR']) return false;
  return stream.isTTY === true;
}
