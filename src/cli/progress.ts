import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number, label: string): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/**
 * What the bar shows: never more done than the total, and never full while something still runs
 * (the total grows as the scan learns of more endpoints, such as the MX hosts of a domain).
 */
export function progressFigures(done: number, total: number): { value: number; total: number } {
  const safeTotal = Math.max(total, done, 1);
  return { value: Math.min(done, safeTotal), total: safeTotal };
}

/** A progress bar on stderr when it is a terminal; nothing at all when piped, with --json or --quiet. */
export function progressBar(
  enabled: boolean,
  title: string,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (!enabled || !stream.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${title} [{bar}] {value}/{total} {label}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, label) {
      const figures = progressFigures(done, total);
      if (!started) {
        bar.start(figures.total, 0, { label: '' });
        started = true;
      }
      // The total is set on every update: it grows during the scan (the bar once showed 21/19).
      bar.setTotal(figures.total);
      bar.update(figures.value, { label });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
