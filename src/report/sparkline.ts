const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * A compact text sparkline, one block per value, scaled between the lowest and highest value
 * (a flat series sits in the middle). Non-finite values show as a space.
 */
export function sparkline(values: readonly number[]): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return '';
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return values
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      if (max === min) return BARS[3];
      const step = Math.round(((v - min) / (max - min)) * (BARS.length - 1));
      return BARS[step] ?? BARS[0];
    })
    .join('');
}
