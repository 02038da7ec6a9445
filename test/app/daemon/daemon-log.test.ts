import { describe, expect, it } from 'vitest';
import {
  formatLogLine,
  jsonLineLogger,
  redactSecrets,
  secretsFromEnv,
} from '../../../src/app/daemon/index.js';

describe('daemon logs', () => {
  const env = { VIGIE_SMTP_PASSWORD: 's3cr3t-smtp', VIGIE_GITHUB_TOKEN: 'ghp_token123', OTHER: 'x' };

  it('take secrets from VIGIE_SMTP_PASSWORD and VIGIE_GITHUB_TOKEN only when set', () => {
    expect(secretsFromEnv(env)).toEqual(['s3cr3t-smtp', 'ghp_token123']);
    expect(secretsFromEnv({ VIGIE_SMTP_PASSWORD: '' })).toEqual([]);
  });

  it('write one JSON line { at, level, event, … } with every secret redacted, however deep', () => {
    const lines: string[] = [];
    const log = jsonLineLogger((l) => lines.push(l), {
      secrets: secretsFromEnv(env),
      now: () => new Date('2026-11-28T19:00:00Z'),
    });
    log({
      level: 'error',
      event: 'mail.failed',
      error: 'AUTH failed for vigie:s3cr3t-smtp',
      nested: { list: ['Bearer ghp_token123', 3] },
    });
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(line).not.toContain('s3cr3t-smtp');
    expect(line).not.toContain('ghp_token123');
    expect(JSON.parse(line)).toEqual({
      at: '2026-11-28T19:00:00.000Z',
      level: 'error',
      event: 'mail.failed',
      error: 'AUTH failed for vigie:***',
      nested: { list: ['Bearer ***', 3] },
    });
  });

  it('leave values alone when no secret is set', () => {
    expect(redactSecrets({ a: 'b' }, [])).toEqual({ a: 'b' });
    expect(formatLogLine({ level: 'info', event: 'x' }, new Date(0), [])).toBe(
      '{"at":"1970-01-01T00:00:00.000Z","level":"info","event":"x"}',
    );
  });
});
