import type { Faker } from '@faker-js/faker';
import { BANKS, BRANDS, DISTRICTS, EMPLOYER_KIND_WEIGHTS, EMPLOYER_KINDS, GOV_BUREAUS, HOSPITAL_KINDS, JOB_WEIGHTS, LEGAL_FORMS, shortName, STREETS_BY_DISTRICT } from './beijing.ts';
import { Permutation, Rng } from './prng.ts';
import { STREAM } from './city.types.ts';
import { chineseNumeral } from './venues.ts';

/**
 * Workplaces. Every resident holds a slot: a secret permutation of the person indexes gives each
 * person a rank, and employers own consecutive rank ranges (a few large, many small). Whether a
 * slot holder actually works depends on their age; the inverse permutation lists an employer's
 * people, which is how the outbreak finds colleagues without scanning the city.
 */
export interface EmployerInfo {
  name: string;
  kind: number;
  district: number;
}

export class Employers {
  readonly #perm: Permutation;
  readonly #starts: Int32Array;
  readonly #words: readonly [number, number];
  readonly #cache = new Map<number, EmployerInfo>();

  constructor(words: readonly [number, number], persons: number, private readonly faker: Faker) {
    this.#words = words;
    this.#perm = new Permutation(persons, ...words, STREAM.employerRank, persons);
    const rng = new Rng(...words, STREAM.employerSizes, persons);
    const starts: number[] = [0];
    const largest = Math.max(5, Math.round(persons / 15)); // a small town has no 800-person employer
    for (let at = 0; at < persons;) {
      const u = rng.float();
      const size = u < 0.5 ? rng.between(3, 12) : u < 0.8 ? rng.between(12, 50) : u < 0.95 ? rng.between(50, 200) : rng.between(200, 800);
      at = Math.min(persons, at + Math.min(size, largest));
      starts.push(at);
    }
    this.#starts = Int32Array.from(starts);
  }

  get count(): number {
    return this.#starts.length - 1;
  }

  /** The employer whose slot person `i` holds. */
  slotOf(i: number): number {
    const rank = this.#perm.forward(i);
    let lo = 0;
    let hi = this.#starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.#starts[mid]! <= rank) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Up to `n` random slot holders of employer `e` (person indexes; they may not all work). */
  sampleSlots(e: number, n: number, rng: Rng): number[] {
    const from = this.#starts[e]!;
    const size = this.#starts[e + 1]! - from;
    const out = new Set<number>();
    for (let k = 0; k < n * 2 && out.size < Math.min(n, size); k++) out.add(this.#perm.inverse(from + rng.int(size)));
    return [...out];
  }

  info(e: number): EmployerInfo {
    let info = this.#cache.get(e);
    if (!info) {
      if (this.#cache.size > 50_000) this.#cache.clear();
      info = this.#make(e);
      this.#cache.set(e, info);
    }
    return info;
  }

  #make(e: number): EmployerInfo {
    const rng = new Rng(...this.#words, STREAM.employer, e);
    const kind = rng.weighted(EMPLOYER_KIND_WEIGHTS);
    const district = rng.weighted(JOB_WEIGHTS);
    const d = DISTRICTS[district]!;
    const street = rng.pick(STREETS_BY_DISTRICT[district]!);
    const k = EMPLOYER_KINDS[kind]!;
    let name: string;
    switch (k.key) {
      case 'bank': name = `${rng.pick(BANKS)}北京${street.stem}支行`; break;
      case 'hospital': name = rng.chance(0.4) ? `${street.stem}社区卫生服务中心` : `北京市${shortName(d)}${rng.pick(HOSPITAL_KINDS)}`; break;
      case 'school': name = rng.chance(0.5) ? `北京市${d.name}第${chineseNumeral(rng.between(1, 99))}中学` : `北京市${d.name}${street.stem}${rng.pick(['小学', '中心小学', '幼儿园'])}`; break;
      case 'government': name = rng.chance(0.5) ? `北京市${d.name}${rng.pick(GOV_BUREAUS)}` : `${d.name}${street.name}办事处`; break;
      case 'catering': name = `${rng.pick(BRANDS.restaurant!)}（${street.stem}店）`; break;
      case 'retail': name = `${rng.pick(BRANDS.supermarket!)}（${street.stem}店）`; break;
      default: {
        this.faker.seed([...this.#words, STREAM.employer, e]);
        name = `北京${this.faker.person.firstName()}${rng.pick(k.industries)}${rng.pick(LEGAL_FORMS)}`;
      }
    }
    return { name, kind, district };
  }
}
