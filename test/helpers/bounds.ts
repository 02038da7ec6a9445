/**
 * How long a test lets a bounded operation (a probe against a silent, flooding or half-open server)
 * take before calling it a hang: far above the timeouts the tests configure (a busy 2-core machine
 * stalls a process for seconds), far below the 30 s at which vitest gives up. Which path ended the
 * operation (the timeout, the byte budget, an early refusal) is asserted on its result, whose detail
 * names the configured timeout; speed targets live in `npm run bench`.
 */
export const HANG_BOUND_MS = 10_000;

/** Timeout given to probes in tests that must not end on it: generous, so a loaded machine cannot reach it. */
export const UNREACHED_TIMEOUT_MS = 10_000;
