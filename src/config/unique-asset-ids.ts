import { textIssue, type Issue } from '../domain/index.js';
import { msg } from '../i18n/index.js';
import { formatPath } from './format-path.js';
import type { YamlSource } from './yaml-source.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Asset ids are references (findings, waivers, reports point at them), so each must be unique.
 * Works on the raw document, so duplicates are reported alongside every other problem.
 */
export function duplicateAssetIdIssues(document: unknown, lineOf: YamlSource['lineOf']): Issue[] {
  if (!isRecord(document) || !Array.isArray(document['assets'])) return [];
  const assets: unknown[] = document['assets'];
  const firstSeen = new Map<string, number>();
  const issues: Issue[] = [];
  assets.forEach((asset, index) => {
    if (!isRecord(asset) || typeof asset['id'] !== 'string') return;
    const id = asset['id'];
    const first = firstSeen.get(id);
    if (first === undefined) {
      firstSeen.set(id, index);
      return;
    }
    // Lines are looked up only for a duplicate: finding them costs a walk of the whole document.
    const path = ['assets', index, 'id'];
    const line = lineOf(path);
    const firstLine = lineOf(['assets', first, 'id']);
    const text =
      firstLine === undefined
        ? msg('errlang.config.duplicate-id.path', { id: String(id), where: formatPath(['assets', first]) })
        : msg('errlang.config.duplicate-id.line', { id: String(id), line: firstLine });
    issues.push(textIssue(formatPath(path), text, line));
  });
  return issues;
}
