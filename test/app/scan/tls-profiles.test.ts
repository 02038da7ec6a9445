import { describe, expect, it } from 'vitest';
import { tlsProfilesFor } from '../../../src/app/shared/tls-profiles.js';
import { parseConfig } from '../../../src/config/index.js';
import { UsageError } from '../../../src/domain/index.js';

const yml = (org: string, asset: string) => `
organisation:
  name: Ville Exemple
${org}
assets:
  - id: portail
    name: Portail
    owner: DSI
    criticality: high
    hosts: [portail.exemple.fr]
${asset}
  - id: intranet
    name: Intranet
    owner: DSI
    criticality: low
    hosts: [intranet.exemple.fr]
`;

const refs = (f: ReturnType<typeof tlsProfilesFor>, assetId: string) =>
  (f?.({ host: 'h', port: 443, assetId }) ?? []).map((p) => `${p.id}@${p.version}`);

describe('tlsProfilesFor', () => {
  it('takes the asset’s profile, else the organisation’s (newest version when none is named)', () => {
    const config = parseConfig(
      yml('  profile: anssi', '    profile: [mozilla-modern@5.7, anssi-2030]'),
      'vigie.yml',
    );
    const f = tlsProfilesFor(config, [], 'fr');
    expect(refs(f, 'portail')).toEqual(['mozilla-modern@5.7', 'anssi-2030@1.2']);
    expect(refs(f, 'intranet')).toEqual(['anssi@1.2']);
  });

  it('lets --profile replace vigie.yml for every endpoint, and checks nothing when none is named', () => {
    const config = parseConfig(yml('  profile: anssi', ''), 'vigie.yml');
    expect(refs(tlsProfilesFor(config, ['mozilla-old'], 'fr'), 'intranet')).toEqual(['mozilla-old@5.8']);
    expect(tlsProfilesFor(parseConfig(yml('', ''), 'vigie.yml'), [], 'fr')).toBeUndefined();
  });

  it('refuses an unknown profile or version before scanning, naming the known ones', () => {
    expect(() => tlsProfilesFor(undefined, ['mozilla-modern@4.0'], 'en')).toThrow(UsageError);
    expect(() => tlsProfilesFor(undefined, ['nist'], 'fr')).toThrow(/profil TLS inconnu/);
  });

  it('refuses a malformed profile name in vigie.yml', () => {
    expect(() => parseConfig(yml('  profile: "ANSSI v1"', ''), 'vigie.yml')).toThrow(/profile/);
  });
});
