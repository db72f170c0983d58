/**
 * China's administrative divisions (GB/T 2260 codes plus 9-digit township/street codes),
 * loaded from the bundled `data/divisions.json` snapshot.
 *
 * Code lengths identify the level: 2 digits province, 4 digits city (prefecture), 6 digits
 * area (county-level district), 9 digits street (township). Every code starts with the code
 * of its parent, so hierarchy questions reduce to prefix checks on known codes.
 *
 * @module
 */
import divisions from './data/divisions.json' with { type: 'json' };

/** The level a division code belongs to. */
export type DivisionLevel = 'province' | 'city' | 'area' | 'street';

const LEVEL_BY_LENGTH: Readonly<Record<number, DivisionLevel>> = { 2: 'province', 4: 'city', 6: 'area', 9: 'street' };

const tables: Readonly<Record<DivisionLevel, ReadonlyMap<string, string>>> = {
  province: new Map(Object.entries(divisions.provinces)),
  city: new Map(Object.entries(divisions.cities)),
  area: new Map(Object.entries(divisions.areas)),
  street: new Map(Object.entries(divisions.streets)),
};

/** Groups sorted child codes by the first `prefixLength` characters. */
function indexBy(codes: Iterable<string>, prefixLength: number): ReadonlyMap<string, readonly string[]> {
  const index = new Map<string, string[]>();
  for (const code of [...codes].sort()) {
    const key = code.slice(0, prefixLength);
    const list = index.get(key);
    if (list) list.push(code);
    else index.set(key, [code]);
  }
  return index;
}

const areasByProvince = indexBy(tables.area.keys(), 2);
const areasByCity = indexBy(tables.area.keys(), 4);
const streetsByArea = indexBy(tables.street.keys(), 6);

/** Description of the data snapshot (package and version it was built from). */
export const DIVISIONS_SOURCE: string = divisions.source;

/** The level of a known division code, or `undefined` if the code is not in the table. */
export function divisionLevel(code: string): DivisionLevel | undefined {
  const level = LEVEL_BY_LENGTH[code.length];
  return level !== undefined && /^\d+$/.test(code) && tables[level].has(code) ? level : undefined;
}

/** True if `code` is a known province, city, area or street code. */
export function isKnownDivisionCode(code: string): boolean {
  return divisionLevel(code) !== undefined;
}

/** True if `code` is a known 6-digit area (county-level district) code. */
export function isDistrictCode(code: string): boolean {
  return divisionLevel(code) === 'area';
}

/** True if `code` is a known 9-digit street (township) code. */
export function isStreetCode(code: string): boolean {
  return divisionLevel(code) === 'street';
}

/**
 * True if a 6-digit region code (as in the first six digits of an identity number) names a
 * known division: a province written as `PP0000`, a city as `PPCC00`, or an area code.
 */
export function isKnownRegionPrefix(code6: string): boolean {
  if (!/^\d{6}$/.test(code6)) return false;
  if (tables.area.has(code6)) return true;
  if (code6.endsWith('0000')) return tables.province.has(code6.slice(0, 2));
  return code6.endsWith('00') && tables.city.has(code6.slice(0, 4));
}

/**
 * Name of a division at any level (`'11'` → `'北京市'`, `'110105'` → `'朝阳区'`). Six-digit
 * codes that are not areas are also tried as padded province/city codes (`'110000'`).
 * Returns `undefined` for unknown codes.
 */
export function divisionName(code: string): string | undefined {
  const level = divisionLevel(code);
  if (level !== undefined) return tables[level].get(code);
  if (!isKnownRegionPrefix(code)) return undefined;
  return code.endsWith('0000') ? tables.province.get(code.slice(0, 2)) : tables.city.get(code.slice(0, 4));
}

/**
 * Sorted area codes under a province (2 digits) or city (4 digits) code; empty if the code
 * is unknown or not at one of those levels.
 */
export function districtsOf(cityOrProvinceCode: string): string[] {
  const level = divisionLevel(cityOrProvinceCode);
  if (level === 'province') return [...(areasByProvince.get(cityOrProvinceCode) ?? [])];
  if (level === 'city') return [...(areasByCity.get(cityOrProvinceCode) ?? [])];
  return [];
}

/** Sorted street codes under a 6-digit area code; empty if the area is unknown. */
export function streetsOf(areaCode: string): string[] {
  return isDistrictCode(areaCode) ? [...(streetsByArea.get(areaCode) ?? [])] : [];
}

/**
 * The parent of a known division code (street → area → city → province), or `undefined`
 * for provinces and unknown codes.
 */
export function parentCode(code: string): string | undefined {
  switch (divisionLevel(code)) {
    case 'street':
      return code.slice(0, 6);
    case 'area':
      return code.slice(0, 4);
    case 'city':
      return code.slice(0, 2);
    default:
      return undefined;
  }
}

/**
 * True if `code` lies in the subtree rooted at `ancestorCode` (a node is within itself).
 * Both must be known division codes; unknown codes are never within anything, so this is
 * safe to use for jurisdiction checks.
 */
export function isWithin(code: string, ancestorCode: string): boolean {
  return isKnownDivisionCode(code) && isKnownDivisionCode(ancestorCode) && code.startsWith(ancestorCode);
}

/** The 16 area codes of Beijing's districts (under city code `'1101'`), sorted. */
export const BEIJING_DISTRICTS: readonly string[] = Object.freeze(districtsOf('1101'));
