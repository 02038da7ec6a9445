/** Key-exchange groups (TLS supported_groups code points, IANA registry), by vigie's name. */
export const GROUP = {
  secp256r1: 0x0017,
  secp384r1: 0x0018,
  secp521r1: 0x0019,
  x25519: 0x001d,
  x448: 0x001e,
  brainpoolP256r1: 0x001a,
  brainpoolP384r1: 0x001b,
  brainpoolP512r1: 0x001c,
  brainpoolP256r1tls13: 0x001f,
  brainpoolP384r1tls13: 0x0020,
  brainpoolP512r1tls13: 0x0021,
  ffdhe2048: 0x0100,
  ffdhe3072: 0x0101,
  ffdhe4096: 0x0102,
  ffdhe6144: 0x0103,
  ffdhe8192: 0x0104,
  /** Post-quantum hybrids (draft-ietf-tls-ecdhe-mlkem); the last one is the older Kyber draft. */
  SecP256r1MLKEM768: 0x11eb,
  X25519MLKEM768: 0x11ec,
  SecP384r1MLKEM1024: 0x11ed,
  X25519Kyber768Draft00: 0x6399,
} as const;
export type GroupName = keyof typeof GROUP;

/** Hybrid (classical + post-quantum) key-exchange groups. */
export const HYBRID_GROUPS: readonly number[] = [
  GROUP.X25519MLKEM768,
  GROUP.SecP256r1MLKEM768,
  GROUP.SecP384r1MLKEM1024,
  GROUP.X25519Kyber768Draft00,
];

const GROUP_NAMES = new Map<number, string>(Object.entries(GROUP).map(([name, code]) => [code, name]));

/** Name of a key-exchange group code point (`group_0x1234` when unknown). */
export function groupName(code: number): string {
  return GROUP_NAMES.get(code) ?? `group_0x${code.toString(16).padStart(4, '0')}`;
}

/** Is `name` a key-exchange group vigie knows? */
export function isGroupName(name: string): name is GroupName {
  return Object.hasOwn(GROUP, name);
}
