/**
 * Differentially private daily new cases by district and for the city (issue #6 item 5): the grid
 * days × districts noised by `releaseDailyCounts` (exact discrete Laplace), the city row being the
 * sum of the districts (no further epsilon). One item per (day, district) and per day for the city
 * (its 4-digit city code); epsilon, scale, sensitivity, mechanism and post-processing go with the
 * numbers. Pure (the noise source is injectable).
 */
import { releaseDailyCounts } from '../dp/index.ts';
import type { UniformSource } from '../dp/index.ts';
import type { ReleaseContent } from '../standard/standard.ts';

export interface CountsBuild {
  readonly content: ReleaseContent;
  readonly failures: readonly string[];
  readonly risk: { readonly days: number; readonly districts: number; readonly epsilon: string; readonly scale: string };
}

export function buildDailyCounts(
  input: { days: readonly string[]; districts: readonly string[]; cityCode: string; counts: ReadonlyMap<string, ReadonlyMap<string, number>> },
  epsilon: string,
  rng?: UniformSource,
): CountsBuild {
  const r = releaseDailyCounts({ days: input.days, districts: input.districts, counts: input.counts }, { epsilon }, rng);
  const items = r.days.flatMap((d) => [
    ...input.districts.map((district) => ({ date: d.date, district, count: d.districts[district]! })),
    // A jurisdiction of one district: its total is that district's row, not a second row.
    ...(input.districts.length === 1 && input.districts[0] === input.cityCode ? [] : [{ date: d.date, district: input.cityCode, count: d.city }]),
  ]);
  return {
    content: { items, meta: { epsilon: r.epsilon, scale: r.scale, sensitivity: r.sensitivity, mechanism: r.mechanism, postProcessing: r.postProcessing } },
    failures: [],
    risk: { days: input.days.length, districts: input.districts.length, epsilon: r.epsilon, scale: r.scale },
  };
}
