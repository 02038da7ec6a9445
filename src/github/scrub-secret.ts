/** Replaces every occurrence of `secret` in `text` (a token never reaches output, logs or errors). */
export function scrubSecret(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length < 4) return text;
  return text.split(secret).join('[jeton masqué]');
}
