import {
  InvalidFileError,
  SERVICE_PROBES,
  UDP_SERVICE_PROBES,
  type Issue,
  type ServiceCatalogue,
  type ServiceEntry,
} from '../domain/index.js';
import { formatPath, type DocumentPath } from './format-path.js';
import { msg } from '../i18n/index.js';
import { sortByLine, validateWithSchema } from './schema-issues.js';
import { serviceCatalogueSchema } from './services-schema.js';
import { readYamlFile, type YamlSource } from './yaml-source.js';

const HINT = msg('errlang.services.hint');

interface RawEntry {
  name?: unknown;
  aliases?: unknown;
  ports?: unknown;
  transport?: unknown;
  probe?: unknown;
}

/**
 * Rules across entries, run on the raw document so they are reported along with the schema's: a
 * name (or alias) used twice, a port claimed by two services, a probe that does not speak the
 * entry's transport.
 */
function crossEntryIssues(source: YamlSource): Issue[] {
  const issues: Issue[] = [];
  const at = (path: DocumentPath, message: string): void => {
    const line = source.lineOf(path);
    issues.push({ path: formatPath(path), ...(line === undefined ? {} : { line }), message });
  };
  const raw = (source.value as { services?: unknown } | null)?.services;
  const names = new Map<string, string>();
  const ports = new Map<string, string>();
  (Array.isArray(raw) ? (raw as unknown[]) : []).forEach((item, index) => {
    const e = (typeof item === 'object' && item !== null ? item : {}) as RawEntry;
    const name = typeof e.name === 'string' ? e.name : undefined;
    const claim = (value: string, path: DocumentPath): void => {
      const owner = names.get(value);
      if (owner !== undefined)
        at(path, `nom « ${value} » déjà utilisé par le service « ${owner} » (nom ou alias)`);
      else names.set(value, name ?? value);
    };
    if (name !== undefined) claim(name, ['services', index, 'name']);
    if (Array.isArray(e.aliases))
      (e.aliases as unknown[]).forEach((alias, i) => {
        if (typeof alias === 'string') claim(alias, ['services', index, 'aliases', i]);
      });
    const transport = e.transport === 'udp' ? 'udp' : 'tcp';
    if (Array.isArray(e.ports))
      (e.ports as unknown[]).forEach((port, i) => {
        if (typeof port !== 'number') return;
        const key = `${port}/${transport}`;
        const owner = ports.get(key);
        if (owner !== undefined)
          at(['services', index, 'ports', i], `port ${key} déjà attribué à « ${owner} »`);
        else ports.set(key, name ?? '?');
      });
    if (typeof e.probe === 'string' && (SERVICE_PROBES as readonly string[]).includes(e.probe)) {
      const udpProbe = (UDP_SERVICE_PROBES as readonly string[]).includes(e.probe);
      if (udpProbe && transport !== 'udp')
        at(['services', index, 'probe'], `la sonde « ${e.probe} » parle UDP : ajoutez « transport: udp »`);
      if (!udpProbe && transport === 'udp')
        at(
          ['services', index, 'probe'],
          `la sonde « ${e.probe} » parle TCP ; en UDP : ${UDP_SERVICE_PROBES.join(', ')}`,
        );
    }
  });
  return issues;
}

/**
 * Reads the risky-service catalogue (checks/services.yaml). Every problem at once (syntax, schema,
 * unknown probe, duplicate name or port, probe and transport at odds), each with its path and line;
 * an invalid file changes nothing.
 */
export function loadServiceCatalogue(file: string): ServiceCatalogue {
  const source = readYamlFile(file);
  const { data, issues } = validateWithSchema(serviceCatalogueSchema, source);
  issues.push(...crossEntryIssues(source));
  if (data === undefined || issues.length > 0)
    throw new InvalidFileError(file, sortByLine(issues), { hint: HINT });
  const services = new Map<string, ServiceEntry>();
  for (const { playbook, protocol, unauthenticated, ...rest } of data.services) {
    const unauth =
      unauthenticated === undefined
        ? undefined
        : (({ playbook: pb, ...text }) => (pb === undefined ? text : { ...text, playbook: pb }))(
            unauthenticated,
          );
    services.set(rest.name, {
      ...rest,
      ...(playbook === undefined ? {} : { playbook }),
      ...(protocol === undefined ? {} : { protocol }),
      ...(unauth === undefined ? {} : { unauthenticated: unauth }),
    });
  }
  return { version: data.version, services };
}
