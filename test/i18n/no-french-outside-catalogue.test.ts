import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FRENCH_LITERALS_ALLOWED } from './french-literals-allowlist.js';
import { frenchLiteralCounts, frenchLiterals, looksFrench } from './french-literals.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('French string literals outside the catalogue (ratchet)', () => {
  it('tells French text from the rest', () => {
    expect(looksFrench('champ obligatoire')).toBe(true);
    expect(looksFrench('clé inconnue « x »')).toBe(true);
    expect(looksFrench('l’échéance')).toBe(true);
    expect(looksFrench('required field')).toBe(false);
    expect(looksFrench('tls.cert.expired')).toBe(false);
    const source = `// un commentaire en français n'est pas compté
import { x } from './déjà.js';
const a = 'texte à traduire';
const b = \`valeur \${a} invalide\`;
const c = 'plain english';`;
    expect(frenchLiterals(source)).toEqual(['texte à traduire', 'valeur {} invalide']);
  });

  it('no file of src/ holds more French literals than the allowlist lets it', () => {
    const counts = frenchLiteralCounts(ROOT);
    const over = Object.entries(counts)
      .filter(([file, n]) => n > (FRENCH_LITERALS_ALLOWED[file] ?? 0))
      .map(([file, n]) => {
        const texts = frenchLiterals(fs.readFileSync(path.join(ROOT, file), 'utf8'), file);
        return `${file}: ${n} > ${FRENCH_LITERALS_ALLOWED[file] ?? 0} (move the new text to src/i18n: ${texts.slice(0, 3).join(' | ')})`;
      });
    expect(over).toEqual([]);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const allowed = Object.values(FRENCH_LITERALS_ALLOWED).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(allowed);
  });
});
