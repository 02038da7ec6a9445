/**
 * A stand-in for the throttling plugin's Bottleneck groups (`write`, `notifications`): it serialises
 * the jobs of a key and spaces their starts by `minTimeMs`. GitHub asks for about one second between
 * writes (the plugin's default, kept in production); tests pass 0.
 */
export interface PacerGroup {
  key(id: string): { schedule<R>(options: unknown, job: () => Promise<R> | R): Promise<R> };
}

export function writePacer(minTimeMs: number): PacerGroup {
  const lanes = new Map<string, { tail: Promise<unknown>; last: number }>();
  return {
    key(id: string) {
      return {
        schedule<R>(_options: unknown, job: () => Promise<R> | R): Promise<R> {
          const lane = lanes.get(id) ?? { tail: Promise.resolve(), last: 0 };
          lanes.set(id, lane);
          const run = lane.tail.then(async () => {
            const wait = lane.last + minTimeMs - Date.now();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            lane.last = Date.now();
            return job();
          });
          lane.tail = run.catch(() => undefined);
          return run;
        },
      };
    },
  };
}
