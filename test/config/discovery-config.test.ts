import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { InvalidFileError } from '../../src/domain/index.js';

const base = 'organisation: { name: Commune }\n';

describe('discovery: in vigie.yml', () => {
  it('defaults the CT API and resolves the word list from the file’s directory', () => {
    const config = parseConfig(
      `${base}discovery: { networks: [192.0.2.0/24], wordlist: mots.txt }\n`,
      '/etc/vigie/vigie.yml',
    );
    expect(config.discovery).toEqual({
      certificateTransparency: { url: 'https://crt.sh' },
      networks: ['192.0.2.0/24'],
      wordlist: '/etc/vigie/mots.txt',
    });
  });

  it('refuses at validation a range over the limit, a non-IPv4 range and a CT URL that is not http(s)', () => {
    let error: unknown;
    try {
      parseConfig(
        `${base}discovery:\n  certificateTransparency: { url: "ftp://ct.exemple" }\n  networks: [10.0.0.0/8, 2001:db8::/64, 192.0.2.0/22]\n`,
        'vigie.yml',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidFileError);
    const issues = (error as InvalidFileError).issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^discovery\.networks\[0\]: plage de 16777216 adresses/),
        expect.stringMatching(/^discovery\.networks\[1\]: plage IPv4 attendue/),
        expect.stringMatching(/^discovery\.certificateTransparency\.url/),
      ]),
    );
    expect(issues.some((i) => i.startsWith('discovery.networks[2]'))).toBe(false);
  });

  it('takes the sweep rate from discovery.sweepRate, between 1 and 5 000 connections per second', () => {
    expect(parseConfig(`${base}discovery: { sweepRate: 50 }\n`, 'vigie.yml').discovery?.sweepRate).toBe(50);
    for (const rate of [0, 5001, 2.5]) {
      expect(() => parseConfig(`${base}discovery: { sweepRate: ${rate} }\n`, 'vigie.yml')).toThrow(
        InvalidFileError,
      );
    }
  });
});
