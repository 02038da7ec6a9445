import type { DemoServer } from './estate.js';
import type { DemoMailEstate } from './mail-estate.js';

const OWNERS: Record<string, { owner: string; criticality: string; name: string }> = {
  portail: { owner: 'DSI - pôle web', criticality: 'critical', name: 'Portail citoyen' },
  site: { owner: 'DSI - pôle web', criticality: 'high', name: 'Site de la médiathèque' },
  base: { owner: 'DSI - pôle données', criticality: 'critical', name: 'Base des inscriptions' },
};

const quote = (s: string) => JSON.stringify(s);

/**
 * The demo estate as a vigie.yml: owners, criticality, pinned loopback addresses and the demo CA,
 * so the demo goes through the same inventory path as a real estate (and the report has owners).
 */
export function demoInventoryYaml(
  servers: readonly DemoServer[],
  caFile: string,
  mail?: Pick<DemoMailEstate, 'domains' | 'resolver' | 'ports'> & Partial<Pick<DemoMailEstate, 'ctUrl'>>,
  plainHttpPort?: number,
): string {
  const assets = new Map<string, { host: string; address: string; ports: number[] }>();
  for (const s of servers) {
    const a = assets.get(s.label) ?? {
      host: s.endpoint.host,
      address: s.endpoint.address ?? '127.0.0.1',
      ports: [],
    };
    a.ports.push(s.endpoint.port);
    assets.set(s.label, a);
  }
  const lines = [
    '# Inventaire du parc de démonstration, écrit par `vigie demo` (adresses de boucle locale).',
    'organisation: { name: "Métropole Démo", language: fr }',
    `trust: { caFiles: [${quote(caFile)}] }`,
    // The estate's own ports, so that `vigie scan -i` of this file scans it as the demo did; its few
    // endpoints get the full TLS enumeration, so that the report shows every suite and group.
    `scan: { timeoutMs: 1500, tlsEnumeration: full${mail ? `, mailPorts: { smtp: ${mail.ports.smtp}, mtaSts: ${mail.ports.mtaSts} }` : ''}${plainHttpPort ? `, plainHttpPort: ${plainHttpPort}` : ''} }`,
    ...(mail ? [`dns: { resolver: ${quote(mail.resolver)}, validating: true }`] : []),
    // `vigie discover` asks the demo's own Certificate Transparency search, never a public one.
    ...(mail?.ctUrl ? [`discovery: { certificateTransparency: { url: ${quote(mail.ctUrl)} } }`] : []),
    'assets:',
  ];
  for (const [label, a] of assets) {
    const meta = OWNERS[label] ?? {
      owner: 'DSI - infrastructure',
      criticality: 'medium',
      name: `Service ${label}`,
    };
    lines.push(
      `  - id: demo-${label}`,
      `    name: ${quote(meta.name)}`,
      `    owner: ${quote(meta.owner)}`,
      `    criticality: ${meta.criticality}`,
      `    hosts: [{ name: ${a.host}, address: ${a.address} }]`,
      `    ports: [${a.ports.join(', ')}]`,
    );
    const domains = mail?.domains.filter((d) => d.assetLabel === label) ?? [];
    if (domains.length > 0) {
      lines.push('    domains:');
      for (const d of domains) {
        lines.push(`      - { name: ${d.domain}, dkimSelectors: [${d.dkimSelectors.join(', ')}] }`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
