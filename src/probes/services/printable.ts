/** Longest banner kept in an observation. */
export const BANNER_MAX = 200;

/** Text of bytes: UTF-8 when they are valid UTF-8, Latin-1 otherwise (never fails). */
export function bytesToText(data: Buffer): string {
  const utf8 = data.toString('utf8');
  return utf8.includes('\uFFFD') ? data.toString('latin1') : utf8;
}

/**
 * A printable, single-line excerpt of what a service said: control bytes become dots (runs of
 * them collapse), line breaks and tabs become spaces, at most `max` characters.
 */
export function printableExcerpt(data: Buffer | string, max: number = BANNER_MAX): string {
  const text = typeof data === 'string' ? data : bytesToText(data);
  const cleaned = text
    .replace(/[\r\n\t\v\f]+/g, ' ')
    // eslint-disable-next-line no-control-regex -- replacing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\uFFFD]+/g, (run) => (run.length > 3 ? '…' : '.'.repeat(run.length)))
    .replace(/ {2,}/g, ' ')
    .trim();
  return cleaned.length <= max ? cleaned : `${cleaned.slice(0, max - 1)}…`;
}
