/**
 * Re-identification risk of a released table (already generalized, suppressed records removed).
 *
 * Prosecutor model: the attacker knows the target is in the release; a record in a class of size
 * f is re-identified with probability 1/f. Journalist model: the attacker does not know whether
 * the target is in the release and matches against a population register; a record whose class
 * holds F people of the population is re-identified with probability 1/F. Distinct l-diversity:
 * the fewest distinct values of the sensitive attribute in any class (an attribute disclosed
 * when l = 1 even without re-identification).
 *
 * @module
 */

export interface RiskReport {
  readonly records: number;
  readonly classes: number;
  /** The smallest class: the release is k-anonymous for every k up to this. */
  readonly k: number;
  /** Fewest distinct sensitive values in a class (only with a sensitive column). */
  readonly l?: number;
  readonly prosecutor: RiskFigures;
  /** Only with a population table. */
  readonly journalist?: RiskFigures & { readonly populationRecords: number; readonly unmatchedClasses: number };
}

export interface RiskFigures {
  /** The highest risk of any record (1 / smallest class). */
  readonly highest: number;
  /** The mean risk over records. */
  readonly average: number;
  /** Records that carry the highest risk. */
  readonly recordsAtHighestRisk: number;
}

const keyOf = (row: readonly string[]) => row.join('\u0000');

function countClasses(rows: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = keyOf(row);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Risk figures from each class's record count f and its attack denominator F (risk 1/F). */
function figures(classes: Iterable<[number, number]>, records: number): RiskFigures {
  let highest = 0;
  let atHighest = 0;
  let sum = 0;
  for (const [f, denominator] of classes) {
    const risk = denominator > 0 ? 1 / denominator : 1;
    sum += f * risk;
    if (risk > highest) {
      highest = risk;
      atHighest = f;
    } else if (risk === highest) atHighest += f;
  }
  return { highest, average: records > 0 ? sum / records : 0, recordsAtHighestRisk: atHighest };
}

/**
 * A population register reduced to what the journalist risk needs: how many people it holds, and
 * how many of them fall in the class of a released tuple (generalized like the release). For
 * registers too large to list tuple by tuple: a city's million people are a few thousand distinct
 * (age, sex, district) tuples.
 */
export interface PopulationCounter {
  readonly records: number;
  sizeOf(released: readonly string[]): number;
}

/** The counter of a population listed tuple by tuple (generalized like the release). */
export function countPopulation(population: readonly (readonly string[])[]): PopulationCounter {
  const counts = countClasses(population);
  return { records: population.length, sizeOf: (row) => counts.get(keyOf(row)) ?? 0 };
}

/**
 * Assesses a release: `records` are the released quasi-identifier tuples (generalized),
 * `sensitive` the sensitive value of each record (same order), `population` the population
 * register's tuples generalized the same way (or `populationCounter`, the same reduced to counts).
 * A class absent from the population (F = 0) means the register is incomplete; it counts as risk 1
 * and is reported in `unmatchedClasses`.
 */
export function assessRisk(
  records: readonly (readonly string[])[],
  options: { sensitive?: readonly string[]; population?: readonly (readonly string[])[]; populationCounter?: PopulationCounter } = {},
): RiskReport {
  const classes = new Map<string, { row: readonly string[]; f: number }>();
  for (const row of records) {
    const key = keyOf(row);
    const c = classes.get(key);
    if (c) c.f++;
    else classes.set(key, { row, f: 1 });
  }
  let k = 0;
  for (const { f } of classes.values()) if (k === 0 || f < k) k = f;
  const prosecutor = figures([...classes.values()].map(({ f }) => [f, f] as [number, number]), records.length);
  const report: { -readonly [K in keyof RiskReport]: RiskReport[K] } = { records: records.length, classes: classes.size, k, prosecutor };
  if (options.sensitive !== undefined) {
    if (options.sensitive.length !== records.length) throw new RangeError('assessRisk: one sensitive value per record is required');
    const values = new Map<string, Set<string>>();
    records.forEach((row, i) => {
      const key = keyOf(row);
      const set = values.get(key) ?? new Set<string>();
      set.add(options.sensitive![i]!);
      values.set(key, set);
    });
    let l = 0;
    for (const set of values.values()) if (l === 0 || set.size < l) l = set.size;
    report.l = l;
  }
  if (options.population !== undefined && options.populationCounter !== undefined) throw new RangeError('assessRisk: give the population or its counter, not both');
  const counter = options.populationCounter ?? (options.population !== undefined ? countPopulation(options.population) : undefined);
  if (counter !== undefined) {
    let unmatched = 0;
    const pairs = [...classes.values()].map(({ row, f }) => {
      const big = counter.sizeOf(row);
      if (big === 0) unmatched++;
      return [f, big] as [number, number];
    });
    report.journalist = { ...figures(pairs, records.length), populationRecords: counter.records, unmatchedClasses: unmatched };
  }
  return report;
}
