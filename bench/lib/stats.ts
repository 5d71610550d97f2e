export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The median of values, and their range. */
export function spread(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: round(percentile(sorted, 50), 2), min: round(sorted[0] ?? Number.NaN, 2), max: round(sorted.at(-1) ?? Number.NaN, 2) };
}

/** A ratio's median as `name` and its range as `name_spread`, for the results file. */
export function ratioFields<Name extends string>(name: Name, ratio: { median: number; min: number; max: number }) {
  return { [name]: ratio.median, [`${name}_spread`]: [ratio.min, ratio.max] } as Record<Name, number> & Record<`${Name}_spread`, [number, number]>;
}

/** Of several rounds' figures, the median of each numeric field. */
export function medianRun<T extends Record<string, number>>(runs: T[]): T {
  const keys = Object.keys(runs[0] ?? {}) as (keyof T)[];
  return Object.fromEntries(
    keys.map((key) => [
      key,
      percentile(
        runs.map((run) => run[key] as number),
        50,
      ),
    ]),
  ) as T;
}

/** Rounds of a comparison: each side's median figures, and one field's ratio ours / bare per round (median and range). */
export function compare<T extends Record<string, number>>(rounds: { ours: T; bare: T }[]) {
  return {
    ours: medianRun(rounds.map((r) => r.ours)),
    bare: medianRun(rounds.map((r) => r.bare)),
    ratio: (field: keyof T) => spread(rounds.map((r) => r.ours[field]! / r.bare[field]!)),
  };
}
