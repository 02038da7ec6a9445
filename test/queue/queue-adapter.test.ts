import { describe, expect, it } from 'vitest';
import { listWorkers, queueSettings } from '../../src/app/distributed/index.js';
import { ExitCode } from '../../src/domain/index.js';
import { redactRedisUrl } from '../../src/queue/index.js';

describe('the queue adapter', () => {
  it('never shows a Redis password', () => {
    expect(redactRedisUrl('redis://:s3cret@redis.exemple.fr:6380/2')).toBe(
      'redis://:***@redis.exemple.fr:6380/2',
    );
    expect(redactRedisUrl('rediss://vigie:s3cret@redis.exemple.fr')).not.toContain('s3cret');
    expect(redactRedisUrl('not a url s3cret')).toBe('redis://***');
  });

  it('reads its settings from the environment, and needs VIGIE_REDIS_URL', () => {
    expect(() => queueSettings({})).toThrow(/VIGIE_REDIS_URL/);
    const s = queueSettings({
      VIGIE_REDIS_URL: 'redis://127.0.0.1:6379',
      VIGIE_QUEUE_PREFIX: 'p',
      VIGIE_QUEUE_ATTEMPTS: '5',
      VIGIE_QUEUE_LOCK_MS: 'nonsense',
    });
    expect(s.connection).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'p' });
    expect(s.tuning).toEqual({ attempts: 5 });
  });

  it('says clearly, password hidden, that Redis does not answer', async () => {
    // Port 1 on the loopback: nothing listens.
    const error = await listWorkers({ VIGIE_REDIS_URL: 'redis://:s3cret@127.0.0.1:1' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const e = error as Error & { exitCode: number };
    expect(e.message).toContain('redis://:***@127.0.0.1:1');
    expect(e.message).not.toContain('s3cret');
    expect(e.exitCode).toBe(ExitCode.Operational);
  });
});

describe('vigie scan --distributed, refused before anything starts', () => {
  it('without VIGIE_REDIS_URL, or with --no-save: a usage error that says why', async () => {
    const { runCommand } = await import('../helpers/run-command.js');
    const { default: ScanCommand } = await import('../../src/commands/scan.js');
    const noRedis = await runCommand(ScanCommand, ['127.0.0.1:1', '--distributed'], {
      VIGIE_REDIS_URL: undefined,
    });
    expect(noRedis.exitCode).toBe(ExitCode.Usage);
    expect(noRedis.stderr).toContain('VIGIE_REDIS_URL');
    const noSave = await runCommand(ScanCommand, ['127.0.0.1:1', '--distributed', '--no-save'], {
      VIGIE_REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(noSave.exitCode).toBe(ExitCode.Usage);
    expect(noSave.stderr).toContain('--no-save');
  });
});
