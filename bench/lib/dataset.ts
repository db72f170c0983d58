/**
 * Deterministic synthetic line-list rows for benchmarks: distinct, valid rows (GB 11643 identity
 * numbers consistent with birth date and sex, distinct Chinese mobile numbers, Beijing district
 * codes, addresses, classifications and dates). Row `i` is always the same row, so every run and
 * every pipeline sees identical input. All values are synthetic.
 */
import { addDays } from '../../src/domain/dates.ts';
import { BEIJING_DISTRICTS, divisionName } from '../../src/domain/divisions.ts';
import { makeResidentId } from '../../src/domain/id-number.ts';
import type { LineListRow } from '../../src/domain/line-list.ts';

/** Every date generated lies on or before this day; pass it to validation as "today". */
export const BENCH_TODAY = '2025-12-31';

const BIRTH_FROM = '1940-01-01';
const BIRTH_DAYS = 29_220; // 80 years: birth dates 1940-01-01 .. 2019-12-31
const REPORT_FROM = '2022-03-01';
const REPORT_DAYS = 300;
/** Identity numbers: (district, birth day, sequence 0..499, sex) is a bijection onto this many numbers. */
const ID_SPACE = BEIJING_DISTRICTS.length * BIRTH_DAYS * 500 * 2;
/** A multiplier coprime to ID_SPACE, so that i -> i * ID_STEP mod ID_SPACE is a bijection. */
const ID_STEP = 1_000_003;
/** Mobile numbers 13000000000 .. 19999999999 (all match 1[3-9] + 9 digits). */
const PHONE_SPACE = 7_000_000_000;
const PHONE_STEP = 999_983;

export const MAX_ROWS = 10_000_000;

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国文斌宇浩凯晨瑞欣怡嘉子涵梓轩雨泽思佳博俊铭一诺天宏志'];
const ROADS = [...'安定平和兴华光明建设东方朝阳新华胜利解放人民幸福长青'];
const CLASSIFICATIONS = ['confirmed', 'confirmed', 'confirmed', 'confirmed', 'suspected', 'suspected', 'suspected', 'asymptomatic', 'asymptomatic', 'excluded'] as const;
const OUTCOMES = ['under_treatment', 'recovered', 'unknown'] as const;

// Interned strings: one copy of each date and district name instead of one per row.
const dateCache = new Map<string, string>();
function dateAt(from: string, days: number): string {
  const key = `${from}+${days}`;
  let v = dateCache.get(key);
  if (v === undefined) {
    v = addDays(from, days);
    dateCache.set(key, v);
  }
  return v;
}
const DISTRICT_NAMES = BEIJING_DISTRICTS.map((c) => divisionName(c) ?? '');

/** A small integer hash (splitmix-style), for deterministic choices per row. */
function mix(i: number, salt: number): number {
  let x = (i ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** Row number `i` (0-based) of the synthetic line list. */
export function syntheticRow(i: number): LineListRow {
  if (!Number.isSafeInteger(i) || i < 0 || i >= MAX_ROWS) throw new RangeError(`row index must be 0..${MAX_ROWS - 1}`);
  // Identity number: a bijection of i onto (district, birth day, sequence, sex), so numbers are distinct.
  let j = (i * ID_STEP) % ID_SPACE;
  const sexBit = j % 2;
  j = (j - sexBit) / 2;
  const seq = j % 500;
  j = (j - seq) / 500;
  const birthDay = j % BIRTH_DAYS;
  const regionIndex = (j - birthDay) / BIRTH_DAYS;
  const sex = sexBit === 1 ? 'M' : 'F';
  const birthDate = dateAt(BIRTH_FROM, birthDay);
  const idNumber = makeResidentId(BEIJING_DISTRICTS[regionIndex]!, birthDate, seq * 2 + sexBit, sex);

  const h = mix(i, 1);
  const h2 = mix(i, 2);
  const name = SURNAMES[h % SURNAMES.length]! + GIVEN[(h >>> 8) % GIVEN.length]! + ((h >>> 16) % 3 === 0 ? '' : GIVEN[(h >>> 20) % GIVEN.length]!);
  const mobile = String(13_000_000_000 + ((i * PHONE_STEP) % PHONE_SPACE));
  // Mostly as dialled, some in E.164 and some with separators, as real line lists have them.
  const phone = h2 % 4 === 0 ? `+86${mobile}` : h2 % 4 === 1 ? `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}` : mobile;
  const districtIndex = (h2 >>> 4) % BEIJING_DISTRICTS.length;
  const address = `北京市${DISTRICT_NAMES[districtIndex]}${ROADS[(h2 >>> 8) % ROADS.length]}${ROADS[(h2 >>> 12) % ROADS.length]}路${(h2 >>> 16) % 300 + 1}号${(h >>> 4) % 6 + 1}单元${(h >>> 12) % 20 + 1}0${(h >>> 24) % 4 + 1}室`;
  const classification = CLASSIFICATIONS[h2 % CLASSIFICATIONS.length]!;
  const reportDay = (h2 >>> 20) % REPORT_DAYS;
  const report = dateAt(REPORT_FROM, reportDay);
  const onset = dateAt(REPORT_FROM, reportDay - ((h >>> 28) % 8));
  const row: LineListRow = {
    name,
    id_number: idNumber,
    phone,
    address,
    birth_date: birthDate,
    sex,
    district_code: BEIJING_DISTRICTS[districtIndex]!,
    classification,
    onset_date: onset,
    report_date: report,
  };
  if (classification === 'confirmed') {
    row.confirmation_date = dateAt(REPORT_FROM, reportDay + (h % 3));
    row.outcome = OUTCOMES[(h >>> 2) % OUTCOMES.length]!;
  }
  return row;
}

/** Rows `from` .. `from + count - 1`. */
export function syntheticRows(from: number, count: number): LineListRow[] {
  const out = new Array<LineListRow>(count);
  for (let k = 0; k < count; k++) out[k] = syntheticRow(from + k);
  return out;
}

/** The rows as an ingest source: record numbers as in a CSV file whose header is record 1. */
export function* asRecords(rows: readonly LineListRow[]): Generator<{ record: number; row: LineListRow }> {
  for (let k = 0; k < rows.length; k++) yield { record: k + 2, row: rows[k]! };
}
