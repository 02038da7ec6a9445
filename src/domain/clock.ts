/** Injected time source: everything time-dependent takes one, so tests can pin "now". */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
export const fixedClock = (at: Date | string): Clock => {
  const date = new Date(at);
  return { now: () => new Date(date) };
};
