/** A large `vigie.yml`, shaped like examples/vigie.yml: `count` assets of four kinds, comments included. */
export function largeInventory(count: number): string {
  const lines = [
    '# vigie.yml généré pour la mesure de `inventory validate` (npm run bench)',
    'organisation: { name: Métropole Mesure, language: fr, timezone: Europe/Paris }',
    'assets:',
  ];
  const criticalities = ['low', 'medium', 'high', 'critical'] as const;
  for (let i = 0; i < count; i++) {
    const id = `actif-${i}`;
    const zone = `site${i}.exemple.fr`;
    const octet = (n: number): number => n % 250;
    lines.push(
      `  - id: ${id} # actif n° ${i}`,
      `    name: "Service ${i} : démarches en ligne"`,
      `    owner: DSI - pôle ${i % 17}`,
      `    criticality: ${criticalities[i % 4]}`,
    );
    switch (i % 4) {
      case 0:
        lines.push(
          '    hosts:',
          `      - name: www.${zone}`,
          `      - { name: api.${zone}, address: 203.0.${octet(i >> 8)}.${octet(i)} }`,
          '    ports: [443, 80]',
          '    expose: [https, http]',
          '    domains:',
          `      - { name: ${zone}, dkimSelectors: [mail2026] }`,
          '    certificateAlertDays: [30, 14, 7, 1]',
        );
        break;
      case 1:
        lines.push(
          '    hosts:',
          `      - { name: sftp.${zone}, address: 198.51.${octet(i >> 8)}.${octet(i)} }`,
          `      - portail.${zone}`,
          '    ports: [443, 22]',
          '    expose: [https, ssh]',
        );
        break;
      case 2:
        lines.push('    hosts:', `      - catalogue.${zone}`, '    expose: [https, http]');
        break;
      default:
        lines.push(
          '    hosts: [' + `mail.${zone}, ` + `webmail.${zone}]`,
          '    ports: [443, 25, 587]',
          `    domains: [${zone}]`,
        );
    }
  }
  lines.push('scan: { timeoutMs: 5000, concurrency: 32 }', '');
  return lines.join('\n');
}

/**
 * A `vigie.yml` of `count` assets in a denser shape, each on one line in flow style with one pinned
 * host and one port (about 160 bytes an asset): 50 000 assets fit under the 8 MiB limit of a YAML file,
 * where `largeInventory` stops near 27 000.
 */
export function compactInventory(count: number): string {
  const lines = [
    '# vigie.yml généré pour la mesure de `inventory validate` (forme dense)',
    'organisation: { name: Région Mesure, language: fr, timezone: Europe/Paris }',
    'assets:',
  ];
  const criticalities = ['low', 'medium', 'high', 'critical'] as const;
  for (let i = 0; i < count; i++) {
    lines.push(
      `  - { id: actif-${i}, name: Service ${i}, owner: Commune ${i % 93}, criticality: ${criticalities[i % 4]}, ` +
        `hosts: [{ name: h${i}.bench.vigie.test, address: 127.0.0.${1 + (i % 16)} }], ports: [443] }`,
    );
  }
  lines.push('scan: { timeoutMs: 5000, concurrency: 32 }', '');
  return lines.join('\n');
}
