import { customRegexProblem } from '../domain/custom-matchers.js';
import { InvalidFileError, judgeTakeover, type Issue, type TakeoverProvider } from '../domain/index.js';
import { msg, type CatalogueText } from '../i18n/index.js';
import { formatPath } from './format-path.js';
import { sortByLine, validateWithSchema } from './schema-issues.js';
import { takeoverCatalogueSchema, type TakeoverCase } from './takeover-schema.js';
import { readYamlFile } from './yaml-source.js';

const HINT = msg('texts2.takeover.hint');

export interface TakeoverCatalogue {
  version: number;
  providers: TakeoverProvider[];
}

/** Whether the fingerprint judges a case as the case says (a case with `dangling` must come out so). */
export function caseHolds(provider: TakeoverProvider, c: TakeoverCase): boolean {
  const verdict = judgeTakeover(
    {
      target: c.cname,
      ...(c.rcode === undefined ? {} : { targetRcode: c.rcode }),
      ...(c.status === undefined ? {} : { http: { status: c.status, body: c.body ?? '' } }),
    },
    [provider],
  );
  return (verdict.verdict === 'dangling') === c.dangling;
}

/**
 * Reads checks/takeover.yaml: the schema, every regex compiled by RE2 (linear time), ids unique, and
 * every case of every provider judged as it says. Every problem at once, with its path and line.
 */
export function loadTakeoverCatalogue(file: string): TakeoverCatalogue {
  const source = readYamlFile(file);
  const { data, issues } = validateWithSchema(takeoverCatalogueSchema, source);
  if (data === undefined) throw new InvalidFileError(file, sortByLine(issues), { hint: HINT });
  const problems: Issue[] = [...issues];
  const at = (path: (string | number)[], message: string | CatalogueText): void => {
    const line = source.lineOf(path);
    problems.push({
      path: formatPath(path),
      ...(line === undefined ? {} : { line }),
      ...(typeof message === 'string' ? { message } : { message: message.fallback, i18n: message }),
    });
  };
  const ids = new Set<string>();
  const providers: TakeoverProvider[] = [];
  data.providers.forEach((p, index) => {
    if (ids.has(p.id)) at(['providers', index, 'id'], msg('texts2.takeover.duplicate-id', { id: p.id }));
    ids.add(p.id);
    const regexes: [string, (string | number)[]][] = [];
    if (p.cnameRegex !== undefined) regexes.push([p.cnameRegex, ['providers', index, 'cnameRegex']]);
    if (p.http !== undefined) regexes.push([p.http.body, ['providers', index, 'http', 'body']]);
    let compiled = true;
    for (const [re, path] of regexes) {
      const problem = customRegexProblem(re);
      if (problem !== undefined) {
        at(path, problem);
        compiled = false;
      }
    }
    if (!p.nxdomain && p.http === undefined) at(['providers', index], msg('texts2.takeover.no-proof'));
    const { cases, ...provider } = p;
    const entry: TakeoverProvider = {
      id: provider.id,
      name: provider.name,
      cname: provider.cname,
      nxdomain: provider.nxdomain,
      takeover: provider.takeover,
      references: provider.references,
      ...(provider.cnameRegex === undefined ? {} : { cnameRegex: provider.cnameRegex }),
      ...(provider.http === undefined
        ? {}
        : {
            http: {
              body: provider.http.body,
              ...(provider.http.status === undefined ? {} : { status: provider.http.status }),
            },
          }),
    };
    if (compiled) {
      if (!cases.some((c) => c.dangling) || !cases.some((c) => !c.dangling))
        at(['providers', index, 'cases'], msg('texts2.takeover.both-cases'));
      cases.forEach((c, i) => {
        if (!caseHolds(entry, c))
          at(
            ['providers', index, 'cases', i],
            msg(c.dangling ? 'texts2.takeover.case-not-dangling' : 'texts2.takeover.case-not-active', {
              cname: c.cname,
            }),
          );
      });
    }
    providers.push(entry);
  });
  if (problems.length > 0) throw new InvalidFileError(file, sortByLine(problems), { hint: HINT });
  return { version: data.version, providers };
}
