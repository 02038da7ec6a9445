/**
 * RFC 9116 (security.txt) parser and validator. Pure: the caller fetches the file and gives `now`.
 * Problems are French sentences, shown as they are in the evidence of `http.securitytxt.invalid`.
 */

export interface SecurityTxtField {
  /** Field name as written (compare case-insensitively). */
  name: string;
  value: string;
  /** Line number in the file as served (1-based), signature armour included. */
  line: number;
}

export interface SecurityTxt {
  fields: SecurityTxtField[];
  problems: string[];
  /** The Expires date, when the field appears exactly once with a valid date. */
  expires?: Date;
  expired: boolean;
}

const SIGNED_HEADER = '-----BEGIN PGP SIGNED MESSAGE-----';
const SIGNATURE_BEGIN = '-----BEGIN PGP SIGNATURE-----';
const SIGNATURE_END = '-----END PGP SIGNATURE-----';

/** RFC 3339 §5.6 date-time (the Internet profile of ISO 8601 that RFC 9116 §2.5.5 requires). */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Fields RFC 9116 allows at most once (Expires is checked on its own: exactly once). */
const AT_MOST_ONCE = ['preferred-languages'];
/** Fields whose value is a URI; a web URI there must use https (RFC 9116 §2.5). */
const URI_FIELDS = ['acknowledgments', 'canonical', 'contact', 'encryption', 'hiring', 'policy'];
const CONTACT_SCHEMES = ['mailto:', 'https:', 'tel:'];

interface Line {
  text: string;
  number: number;
}

/** The lines that carry the content: the cleartext of a PGP-signed file, dash-unescaped (RFC 4880 §7.1). */
function contentLines(lines: Line[], problems: string[]): Line[] {
  const start = lines.findIndex((l) => l.text.trim() !== '');
  if (lines[start]?.text.trim() !== SIGNED_HEADER) return lines;
  // Armour headers ("Hash: SHA256") run up to the first blank line.
  let i = start + 1;
  while (i < lines.length && lines[i]?.text.trim() !== '') i++;
  const end = lines.findIndex((l, k) => k > i && l.text.trim() === SIGNATURE_BEGIN);
  if (end < 0) {
    problems.push('signature PGP incomplète : « -----BEGIN PGP SIGNATURE----- » absent');
    return lines.slice(i + 1).map((l) => ({ ...l, text: l.text.replace(/^- /, '') }));
  }
  if (!lines.slice(end).some((l) => l.text.trim() === SIGNATURE_END)) {
    problems.push('signature PGP incomplète : « -----END PGP SIGNATURE----- » absent');
  }
  return lines.slice(i + 1, end).map((l) => ({ ...l, text: l.text.replace(/^- /, '') }));
}

function parseRfc3339(value: string): Date | undefined {
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  if (mo === undefined || d === undefined || h === undefined || mi === undefined || s === undefined)
    return undefined;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const date = new Date(value.toUpperCase());
  if (Number.isNaN(date.getTime())) return undefined;
  // Reject dates JavaScript silently rolls over (2026-02-31 → 2026-03-03).
  const dayOfMonth = new Date(Date.UTC(y ?? 0, mo - 1, d)).getUTCDate();
  return dayOfMonth === d ? date : undefined;
}

export function parseSecurityTxt(text: string, opts: { now: Date }): SecurityTxt {
  const problems: string[] = [];
  const all = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((t, i) => ({ text: t, number: i + 1 }));
  const fields: SecurityTxtField[] = [];
  for (const { text: raw, number } of contentLines(all, problems)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!m?.[1]) {
      problems.push(`ligne ${number} illisible : « ${line.slice(0, 80)} »`);
      continue;
    }
    fields.push({ name: m[1], value: (m[2] ?? '').trim(), line: number });
  }

  const named = (name: string) => fields.filter((f) => f.name.toLowerCase() === name);

  const contacts = named('contact');
  if (contacts.length === 0) problems.push('Contact manquant');
  for (const c of contacts) {
    if (!CONTACT_SCHEMES.some((s) => c.value.toLowerCase().startsWith(s))) {
      problems.push(`Contact doit être une URI mailto:, https: ou tel: (ligne ${c.line} : « ${c.value} »)`);
    }
  }
  for (const f of fields) {
    const key = f.name.toLowerCase();
    if (!URI_FIELDS.includes(key)) continue;
    if (f.value === '') problems.push(`${f.name} vide (ligne ${f.line})`);
    else if (f.value.toLowerCase().startsWith('http:'))
      problems.push(`${f.name} doit utiliser https:// (ligne ${f.line})`);
  }
  for (const key of AT_MOST_ONCE) {
    const found = named(key);
    if (found.length > 1) problems.push(`${found[0]?.name ?? key} doit apparaître au plus une fois`);
  }

  const expiresFields = named('expires');
  let expires: Date | undefined;
  if (expiresFields.length !== 1) {
    problems.push(
      `Expires doit apparaître exactement une fois (${expiresFields.length === 0 ? 'absent' : `${expiresFields.length} fois`})`,
    );
  }
  const only = expiresFields.length === 1 ? expiresFields[0] : undefined;
  if (only) {
    expires = parseRfc3339(only.value);
    if (!expires)
      problems.push(`date Expires invalide (ligne ${only.line} : « ${only.value} », attendu RFC 3339)`);
  }
  return {
    fields,
    problems,
    ...(expires ? { expires } : {}),
    expired: expires !== undefined && expires.getTime() <= opts.now.getTime(),
  };
}
