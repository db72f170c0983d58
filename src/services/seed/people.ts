import { base, en, Faker, zh_CN } from '@faker-js/faker';
import { districtsOf } from '../../domain/divisions.ts';
import { makeResidentId } from '../../domain/id-number.ts';
import type { PersonInput, Sex } from '../../domain/model.ts';
import { DISTRICTS, EMPLOYER_KINDS, HOME_WEIGHTS, MOBILE_PREFIXES, STREETS_BY_DISTRICT } from './beijing.ts';
import type { Street } from './beijing.ts';
import { Employers } from './employers.ts';
import { cumulative, Permutation, Rng, seedWords } from './prng.ts';
import { STREAM } from './city.types.ts';
import type { CityParams } from './city.types.ts';
import { roadName } from './venues.ts';

/**
 * Residents. Person indexes come in blocks of {@link BLOCK}; each block is cut into households of
 * one to five people who share an address, from the block's own random stream, so any person can
 * be generated from (seed, index) alone. Identity and phone numbers are unique by construction:
 * the slot (birth region, day of the year, sequence number) and the last eight phone digits are
 * keyed permutations of the person index.
 */
export const BLOCK = 50;
/** Enough distinct (region, day, sequence) slots for every person born in Beijing. */
export const MAX_PERSONS = 2_000_000;

type Role = 'single' | 'head' | 'spouse' | 'child' | 'elder';
export type Status = 'preschool' | 'student' | 'worker' | 'self_employed' | 'unemployed' | 'retired';

export interface Member { role: Role; age: number; sex: Sex }

export interface Household {
  first: number;
  members: Member[];
  district: number;
  street: Street;
  address: string;
}

/** A person without a name: what the outbreak planner and the travel generator need. */
export interface Skeleton {
  index: number;
  household: Household;
  member: Member;
  birthDate: string;
  idNumber: string;
  phone: string;
  status: Status;
  /** The employer (for workers), else -1. */
  employer: number;
  occupation: string;
}

const SIZE_WEIGHTS = cumulative([25, 30, 25, 12, 8]);
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const SLOTS_PER_REGION = 365 * 500;
const ELSEWHERE: readonly string[] = Array.from({ length: 90 }, (_, k) => String(k + 10))
  .filter((p) => p !== '11').flatMap((p) => districtsOf(p));

const clampAge = (a: number) => Math.max(0, Math.min(95, a));
const other = (s: Sex): Sex => (s === 'M' ? 'F' : 'M');

function composeHousehold(rng: Rng, size: number): Member[] {
  const sex = (): Sex => (rng.chance(0.5) ? 'M' : 'F');
  const couple = (lo: number, hi: number): Member[] => {
    const head: Member = { role: 'head', age: rng.between(lo, hi), sex: rng.chance(0.7) ? 'M' : 'F' };
    return [head, { role: 'spouse', age: clampAge(Math.max(20, head.age + rng.between(-4, 4))), sex: other(head.sex) }];
  };
  const child = (parentAge: number): Member => ({ role: 'child', age: rng.between(0, Math.max(0, Math.min(25, parentAge - 22))), sex: sex() });
  const elder = (headAge: number): Member => ({ role: 'elder', age: clampAge(headAge + rng.between(24, 32)), sex: sex() });
  const u = rng.float();
  switch (size) {
    case 1: return [{ role: 'single', age: u < 0.45 ? rng.between(20, 35) : u < 0.7 ? rng.between(36, 59) : rng.between(60, 92), sex: sex() }];
    case 2: {
      if (u < 0.5) return couple(22, 88);
      if (u < 0.75) {
        const parent: Member = { role: 'head', age: rng.between(30, 60), sex: sex() };
        return [parent, child(parent.age)];
      }
      return couple(60, 92);
    }
    case 3: { const c = couple(25, 55); return [...c, child(c[0]!.age)]; }
    case 4: { const c = couple(28, 52); return u < 0.55 ? [...c, child(c[0]!.age), child(c[0]!.age)] : [...c, child(c[0]!.age), elder(c[0]!.age)]; }
    default: {
      const c = couple(28, 50);
      const e = elder(c[0]!.age);
      const last = u < 0.6 ? { ...e, role: 'elder' as const, sex: other(e.sex), age: clampAge(e.age + rng.between(-3, 3)) } : child(c[0]!.age);
      return [...c, child(c[0]!.age), e, last];
    }
  }
}

function addressOf(rng: Rng, district: number, street: Street): string {
  const prefix = `北京市${DISTRICTS[district]!.name}${street.name}`;
  if (street.rural && rng.chance(0.5)) return `${prefix}${street.stem}${rng.pick(['', '东', '西', '南', '北', '前', '后'])}村${rng.between(1, 300)}号`;
  const road = roadName(rng, district, street);
  if (road.endsWith('胡同')) return `${prefix}${road}${rng.between(1, 120)}号`;
  const floor = rng.between(1, 28);
  return `${prefix}${road}${rng.between(1, 200)}号院${rng.between(1, 30)}号楼${rng.between(1, 6)}单元${floor}${String(rng.between(1, 4)).padStart(2, '0')}`;
}

function statusOf(rng: Rng, m: Member): Status {
  if (m.age < 6) return 'preschool';
  if (m.age < 18 || (m.age <= 22 && rng.chance(0.6))) return 'student';
  const retireAt = m.sex === 'M' ? 60 : 55;
  if (m.age >= retireAt) return m.age < 65 && rng.chance(0.15) ? 'worker' : 'retired';
  const u = rng.float();
  return u < 0.84 ? 'worker' : u < 0.93 ? 'self_employed' : 'unemployed';
}

function occupationOf(rng: Rng, status: Status, age: number, employerKind: number): string {
  switch (status) {
    case 'preschool': return '学龄前儿童';
    case 'student': return age < 12 ? '小学生' : age < 15 ? '初中生' : age < 18 ? '高中生' : '大学生';
    case 'retired': return '离退休人员';
    case 'unemployed': return rng.pick(['待业', '家务']);
    case 'self_employed': return rng.pick(['个体经营者', '自由职业者', '网约车司机', '个体工商户']);
    default: {
      const jobs = EMPLOYER_KINDS[employerKind]!.jobs;
      return jobs[rng.weighted(cumulative(jobs.map((j) => j[1])))]![0];
    }
  }
}

export class CityModel {
  readonly words: readonly [number, number];
  readonly employers: Employers;
  readonly faker = new Faker({ locale: [zh_CN, en, base] });
  readonly #idBeijing: Permutation;
  readonly #idElsewhere: Permutation;
  readonly #phone: Permutation;
  readonly #blocks = new Map<number, Household[]>();
  readonly #startYear: number;
  readonly #startMonthDay: string;

  constructor(readonly params: CityParams) {
    if (params.persons > MAX_PERSONS) throw new RangeError(`at most ${MAX_PERSONS} persons`);
    this.words = seedWords(params.seed);
    this.employers = new Employers(this.words, params.persons, this.faker);
    this.#idBeijing = new Permutation(DISTRICTS.length * SLOTS_PER_REGION, ...this.words, STREAM.idBeijing);
    this.#idElsewhere = new Permutation(ELSEWHERE.length * SLOTS_PER_REGION, ...this.words, STREAM.idElsewhere);
    this.#phone = new Permutation(100_000_000, ...this.words, STREAM.phone);
    this.#startYear = Number(params.startDate.slice(0, 4));
    this.#startMonthDay = params.startDate.slice(5);
  }

  /** The households of a block (cached: the planner asks for the same blocks again). */
  block(b: number): Household[] {
    let hs = this.#blocks.get(b);
    if (hs) return hs;
    const rng = new Rng(...this.words, STREAM.household, b);
    hs = [];
    for (let pos = 0; pos < BLOCK;) {
      const size = Math.min(rng.weighted(SIZE_WEIGHTS) + 1, BLOCK - pos);
      const district = rng.weighted(HOME_WEIGHTS);
      const street = rng.pick(STREETS_BY_DISTRICT[district]!);
      hs.push({ first: b * BLOCK + pos, members: composeHousehold(rng, size), district, street, address: addressOf(rng, district, street) });
      pos += size;
    }
    if (this.#blocks.size >= 4096) this.#blocks.clear();
    this.#blocks.set(b, hs);
    return hs;
  }

  householdOf(i: number): Household {
    const hs = this.block(Math.floor(i / BLOCK));
    let h = hs[0]!;
    for (const x of hs) if (x.first <= i) h = x;
    return h;
  }

  /** Indexes of the other members of `i`'s household who exist in this city. */
  housemates(i: number): number[] {
    const h = this.householdOf(i);
    return h.members.map((_, k) => h.first + k).filter((j) => j !== i && j < this.params.persons);
  }

  skeleton(i: number): Skeleton {
    const household = this.householdOf(i);
    const member = household.members[i - household.first]!;
    const rng = new Rng(...this.words, STREAM.person, i);
    const beijing = rng.chance(member.age < 18 ? 0.85 : 0.55);
    const slot = beijing ? this.#idBeijing.forward(i) : this.#idElsewhere.forward(i);
    const region = beijing ? DISTRICTS[Math.floor(slot / SLOTS_PER_REGION)]!.code : ELSEWHERE[Math.floor(slot / SLOTS_PER_REGION)]!;
    const birthDate = this.#birthDate(member.age, Math.floor((slot % SLOTS_PER_REGION) / 500));
    const idNumber = makeResidentId(region, birthDate, 2 * (slot % 500) + (member.sex === 'M' ? 1 : 0), member.sex);
    const phone = `+86${rng.pick(MOBILE_PREFIXES)}${String(this.#phone.forward(i)).padStart(8, '0')}`;
    const status = statusOf(rng, member);
    const employer = status === 'worker' ? this.employers.slotOf(i) : -1;
    const occupation = occupationOf(rng, status, member.age, employer >= 0 ? this.employers.info(employer).kind : 0);
    return { index: i, household, member, birthDate, idNumber, phone, status, employer, occupation };
  }

  /** A birth date on day `dayOfYear` (0..364 of a common year) that makes the person `age` on the start date. */
  #birthDate(age: number, dayOfYear: number): string {
    let month = 0;
    let day = dayOfYear;
    while (day >= MONTH_DAYS[month]!) day -= MONTH_DAYS[month++]!;
    const monthDay = `${String(month + 1).padStart(2, '0')}-${String(day + 1).padStart(2, '0')}`;
    const year = this.#startYear - age - (monthDay > this.#startMonthDay ? 1 : 0);
    return `${String(year).padStart(4, '0')}-${monthDay}`;
  }

  /**
   * Names for every member of the blocks covering [from, to), drawn in block order from faker
   * seeded per block: children take the father's family name.
   */
  #names(b: number): string[] {
    this.faker.seed([...this.words, STREAM.names, b]);
    const out: string[] = [];
    for (const h of this.block(b)) {
      const headSurname = this.faker.person.lastName();
      const spouse = h.members.find((m) => m.role === 'spouse');
      const spouseSurname = spouse ? this.faker.person.lastName() : headSurname;
      const fatherSurname = h.members[0]!.sex === 'M' || !spouse ? headSurname : spouseSurname;
      for (const m of h.members) {
        const surname = m.role === 'spouse' ? spouseSurname : m.role === 'child' ? fatherSurname
          : m.role === 'elder' ? (m.sex === 'M' ? fatherSurname : this.faker.person.lastName()) : headSurname;
        out.push(surname + this.faker.person.firstName(m.sex === 'M' ? 'male' : 'female'));
      }
    }
    return out;
  }

  /** Full identities of persons [from, to). */
  identities(from: number, to: number): PersonInput[] {
    const out: PersonInput[] = [];
    for (let b = Math.floor(from / BLOCK); b * BLOCK < to; b++) {
      const names = this.#names(b);
      for (let i = Math.max(from, b * BLOCK); i < Math.min(to, (b + 1) * BLOCK); i++) out.push(this.person(i, names[i - b * BLOCK]!));
    }
    return out;
  }

  person(i: number, name: string): PersonInput {
    const s = this.skeleton(i);
    const street = s.household.street;
    return {
      identity: {
        name,
        documents: [{ type: 'resident_id', number: s.idNumber }],
        phone: s.phone,
        address: s.household.address,
        birthDate: s.birthDate,
        sex: s.member.sex,
        occupation: s.occupation,
        ...(s.employer >= 0 ? { employer: this.employers.info(s.employer).name } : {}),
      },
      jurisdictionCode: DISTRICTS[s.household.district]!.code,
      streetCode: street.code,
    };
  }
}
