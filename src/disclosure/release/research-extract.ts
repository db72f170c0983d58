/**
 * The restricted research extract (issue #6 items 2c and 3): a de-identified line list — age band,
 * sex, district, onset week, classification, outcome — for one named recipient, never public.
 * The quasi-identifiers (age, sex, district, onset date) are generalized by the optimal full-domain
 * anonymizer (src/disclosure/kanon) no finer than the standard allows (`minLevels`), with the
 * standard's k, l (of outcome) and suppression limit; the released table is then assessed for the
 * prosecutor risk and, given the register, the journalist risk. Pure.
 */
import { addDays } from '../../domain/dates.ts';
import { anonymize, applyNode, assessRisk, ageHierarchy, dateHierarchy, districtHierarchy, encodeTable, generalizeRows, hierarchyFromFunctions } from '../kanon/index.ts';
import type { Hierarchy, PopulationCounter, RiskReport } from '../kanon/index.ts';
import { finestLevel } from '../standard/standard.ts';
import type { DisclosureStandard, ReleaseContent } from '../standard/standard.ts';

export interface ExtractRecord {
  /** Age in whole years at onset (0..120). */
  readonly age: number;
  readonly sex: 'M' | 'F';
  /** GB/T 2260 district code (6 digits). */
  readonly district: string;
  readonly onsetDate: string;
  readonly classification: string;
  readonly outcome: string;
}

/**
 * Registered people as the register knows them (for the journalist risk): an age, sex and district,
 * and how many registered people share them (1 when absent). A city's register is a few thousand
 * such tuples, however many people it holds.
 */
export interface RegisterRecord {
  readonly age: number;
  readonly sex: 'M' | 'F';
  readonly district: string;
  readonly count?: number;
}

export interface ExtractDomain {
  /** Every district of the jurisdiction released (the whole domain, so the Loss means the same). */
  readonly districts: readonly string[];
  /** First and last onset date of the period. */
  readonly from: string;
  readonly to: string;
}

export interface ExtractRisk {
  readonly k: number;
  readonly l: number;
  readonly suppressionLimit: string;
  readonly records: number;
  readonly suppressed: number;
  readonly levels: Readonly<Record<string, number>> | null;
  readonly loss: number | null;
  readonly report: RiskReport | null;
}

export interface ExtractBuild {
  readonly content: ReleaseContent;
  readonly risk: ExtractRisk;
  readonly failures: readonly string[];
}

const QI = ['ageBand', 'sex', 'district', 'onsetWeek'] as const;
const MAX_AGE = 120;

function hierarchies(domain: ExtractDomain): Hierarchy[] {
  return [
    ageHierarchy('ageBand', { min: 0, max: MAX_AGE, widths: [5, 10, 20] }),
    hierarchyFromFunctions('sex', ['M', 'F'], [() => '*']),
    districtHierarchy('district', domain.districts),
    dateHierarchy('onsetWeek', { from: domain.from, to: domain.to, granularity: 'week' }),
  ];
}

/** Builds the extract; `failures` is non-empty when no generalization reaches k and l within the suppression limit. */
export function buildResearchExtract(records: readonly ExtractRecord[], domain: ExtractDomain, standard: DisclosureStandard, register?: readonly RegisterRecord[]): ExtractBuild {
  const { k, l, suppressionLimit } = standard.parameters.researchExtract;
  const inDomain = records.filter((r) => Number.isInteger(r.age) && r.age >= 0 && r.age <= MAX_AGE && domain.districts.includes(r.district) && r.onsetDate >= domain.from && r.onsetDate <= domain.to);
  const hs = hierarchies(domain);
  const header = [...QI, 'outcome', 'classification'];
  const table = { header, rows: inDomain.map((r) => [String(r.age), r.sex, r.district, r.onsetDate, r.outcome, r.classification]) };
  const minLevels = QI.map((f) => finestLevel(standard, 'research_extract', f));
  const base = { k, l, suppressionLimit: String(suppressionLimit), records: inDomain.length };
  const failures: string[] = [];
  if (inDomain.length < records.length) failures.push(`${records.length - inDomain.length} records fall outside the extract's domain`);
  const result = inDomain.length > 0 ? anonymize(encodeTable(table, hs, 'outcome'), { k, l, suppressionLimit: Number(suppressionLimit), minLevels }) : undefined;
  const optimum = result?.optimum;
  if (!optimum) {
    failures.push(`no generalization allowed by the standard reaches k = ${k} and l = ${l} within the suppression limit`);
    return { content: { items: [], meta: {} }, risk: { ...base, suppressed: inDomain.length, levels: null, loss: null, report: null }, failures };
  }
  const applied = applyNode(table, encodeTable(table, hs, 'outcome'), optimum.levels, { k, l });
  const items = applied.rows.map((row) => ({ ageBand: row[0]!, sex: row[1]!, district: row[2]!, onsetWeek: row[3]!, classification: row[5]!, outcome: row[4]! }));
  const report = assessRisk(applied.rows.map((row) => row.slice(0, 4)), {
    sensitive: applied.rows.map((row) => row[4]!),
    ...(register ? { populationCounter: registerCounter(register, domain, hs, optimum.levels) } : {}),
  });
  if (report.k < k) failures.push(`the released table is only ${report.k}-anonymous`);
  if ((report.l ?? 0) < l) failures.push(`the released table is only ${report.l ?? 0}-diverse`);
  return {
    content: { items, meta: {} },
    risk: { ...base, suppressed: applied.suppressed.length, levels: Object.fromEntries(QI.map((f, i) => [f, optimum.levels[i]!])), loss: optimum.loss, report },
    failures,
  };
}

/**
 * The register generalized like the release. The register has no onset date, so the class of a
 * released record holds, for the attacker, every registered person of the jurisdiction with the
 * same age band, sex and district (whatever the onset week): that count is its F.
 */
function registerCounter(register: readonly RegisterRecord[], domain: ExtractDomain, hs: readonly Hierarchy[], levels: readonly number[]): PopulationCounter {
  const inDomain = register.filter((p) => domain.districts.includes(p.district));
  const generalized = generalizeRows(inDomain.map((p) => [String(Math.min(MAX_AGE, p.age)), p.sex, p.district]), hs.slice(0, 3), levels.slice(0, 3));
  const counts = new Map<string, number>();
  let records = 0;
  generalized.forEach((g, i) => {
    const n = inDomain[i]!.count ?? 1;
    const key = g.join('\u0000');
    counts.set(key, (counts.get(key) ?? 0) + n);
    records += n;
  });
  return { records, sizeOf: (row) => counts.get(row.slice(0, 3).join('\u0000')) ?? 0 };
}

/** The first and last date of a period of `days` days ending on `to`. */
export const periodEnding = (to: string, days: number) => ({ from: addDays(to, -(days - 1)), to });
