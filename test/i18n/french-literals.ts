import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Letters French writes and English does not, and French typography (guillemets, apostrophe). */
const FRENCH_LETTERS = /[àâçéèêëîïôûùüÿœæÀÂÇÉÈÊËÎÏÔÛÙÜŒÆ«»’]/;
/** Common French words, whole, in text that has no accent ("valeur invalide", "clé" aside). */
const FRENCH_WORDS =
  /\b(le|la|les|des|du|une|est|sont|pas|aucun|aucune|dans|pour|avec|sans|fichier|valeur|champ|obligatoire|erreur|attendu|attendue|attendus|manquant|manquante|lancez|relancez|introuvable|invalide|inconnu|inconnue|corrigez|passez|ou bien)\b/i;

/** Whether a string literal's text reads as French. */
export function looksFrench(text: string): boolean {
  return FRENCH_LETTERS.test(text) || (/\s/.test(text) && FRENCH_WORDS.test(text));
}

/** The string literals and templates of one TypeScript source, import paths aside; comments are not read. */
export function stringLiterals(source: string, fileName = 'file.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    // Import paths and module names are not user text.
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    if (ts.isTemplateExpression(node)) {
      // One template is one text: `{}` stands for each interpolation; strings inside these count apart.
      found.push(node.head.text + node.templateSpans.map((span) => `{}${span.literal.text}`).join(''));
      for (const span of node.templateSpans) visit(span.expression);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The French string literals and templates of one TypeScript source. */
export function frenchLiterals(source: string, fileName = 'file.ts'): string[] {
  return stringLiterals(source, fileName).filter(looksFrench);
}

/** Every `.ts` file under `dir`, as paths relative to `root` with forward slashes. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const next = path.join(abs, entry.name);
      if (entry.isDirectory()) walk(next);
      else if (entry.name.endsWith('.ts')) out.push(path.relative(root, next).split(path.sep).join('/'));
    }
  };
  walk(path.join(root, dir));
  return out.sort();
}

/** French literals per file of src/ outside src/i18n (the catalogue), files with none left out. */
export function frenchLiteralCounts(root: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const rel of sourceFiles(root, 'src')) {
    if (rel.startsWith('src/i18n/')) continue;
    const n = frenchLiterals(fs.readFileSync(path.join(root, rel), 'utf8'), rel).length;
    if (n > 0) counts[rel] = n;
  }
  return counts;
}
