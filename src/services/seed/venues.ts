import type { Place } from '../../domain/model.ts';
import { BANKS, BRANDS, DISHES, DISTRICTS, HOME_WEIGHTS, HOSPITAL_KINDS, HUTONG_DISTRICTS, METRO_LINES, ROAD_SUFFIXES, shortName, STREETS_BY_DISTRICT, VENUE_CATEGORIES, VENUE_CATEGORY_WEIGHTS } from './beijing.ts';
import type { Street } from './beijing.ts';
import { Rng, seedWords } from './prng.ts';
import { STREAM } from './city.types.ts';

/**
 * The public venue registry of the synthetic city: about one venue per 50 residents, each a pure
 * function of (seed, venue number), so a bigger city of the same seed has the same first venues.
 */
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐'];

export interface VenueRegistry {
  readonly places: readonly Place[];
  /** Index into VENUE_CATEGORIES of each venue. */
  readonly category: Uint8Array;
  /** Index into DISTRICTS of each venue. */
  readonly district: Uint8Array;
  /** Venue numbers by district and category. */
  readonly byDistrictCategory: readonly (readonly (readonly number[])[])[];
  readonly byDistrict: readonly (readonly number[])[];
}

export const venueCount = (persons: number) => Math.max(200, Math.round(persons / 50));
export const venueId = (seed: number, v: number) => `pl-${seed}-${String(v).padStart(6, '0')}`;

const DIGITS = '零一二三四五六七八九';

/** 1..99 in Chinese numerals (第八十中学). */
export function chineseNumeral(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

/** A road in a street's area: 建外 + 东路, or a hutong in the old city. */
export function roadName(rng: Rng, districtIndex: number, street: Street): string {
  if (HUTONG_DISTRICTS.has(DISTRICTS[districtIndex]!.code) && rng.chance(0.3)) return `${street.stem}${rng.pick(['头条', '二条', '三条', '北巷', '南巷', ''])}胡同`;
  return `${street.stem}${rng.pick(ROAD_SUFFIXES)}`;
}

function venueName(rng: Rng, key: string, d: number, street: Street): string {
  const branch = `（${street.stem}店）`;
  const brand = (k: string) => rng.pick(BRANDS[k]!);
  switch (key) {
    case 'restaurant':
      return rng.chance(0.55) ? `${brand('restaurant')}${branch}` : `${rng.pick(SURNAMES)}记${rng.pick(DISHES)}`;
    case 'market':
      return `${street.stem}${rng.pick(['农贸市场', '菜市场', '便民市场'])}`;
    case 'metro_station':
      return `地铁${rng.pick(METRO_LINES)}号线${street.stem}站`;
    case 'office_building':
      return rng.chance(0.2) ? `${rng.pick(BANKS)}大厦` : `${street.stem}${brand('office_building')}`;
    case 'hospital':
      return rng.chance(0.5) ? `${street.stem}社区卫生服务中心` : `北京市${shortName(DISTRICTS[d]!)}${rng.pick(HOSPITAL_KINDS)}`;
    case 'school':
      return rng.chance(0.5) ? `北京市${DISTRICTS[d]!.name}第${chineseNumeral(rng.between(1, 99))}中学` : `北京市${DISTRICTS[d]!.name}${street.stem}${rng.pick(['小学', '中心小学', '幼儿园'])}`;
    case 'park':
      return `${street.stem}${rng.pick(['公园', '体育公园', '湿地公园', '森林公园', '文化广场'])}`;
    default:
      return `${brand(key)}${branch}`;
  }
}

function generateVenue(seed: number, v: number): { place: Place; category: number; district: number } {
  const rng = new Rng(...seedWords(seed), STREAM.venue, v);
  const category = rng.weighted(VENUE_CATEGORY_WEIGHTS);
  const district = rng.weighted(HOME_WEIGHTS);
  const d = DISTRICTS[district]!;
  const street = rng.pick(STREETS_BY_DISTRICT[district]!);
  const key = VENUE_CATEGORIES[category]!.key;
  // Approximate: a point scattered around the district's approximate centre (see beijing.ts).
  const jitter = () => (rng.float() + rng.float() - 1) * d.spread;
  const lat = Math.round((d.lat + jitter()) * 1e6) / 1e6;
  const lon = Math.round((d.lon + jitter() / Math.cos((d.lat * Math.PI) / 180)) * 1e6) / 1e6;
  const place: Place = {
    id: venueId(seed, v),
    name: venueName(rng, key, district, street),
    address: `北京市${d.name}${street.name}${roadName(rng, district, street)}${rng.between(1, 199)}号`,
    districtCode: d.code,
    category: key,
    lat,
    lon,
  };
  return { place, category, district };
}

/** The first `count` venues of a seed, with indexes by district and category. */
export function generateVenues(seed: number, count: number): VenueRegistry {
  const places: Place[] = [];
  const category = new Uint8Array(count);
  const district = new Uint8Array(count);
  const byDistrictCategory = DISTRICTS.map(() => VENUE_CATEGORIES.map(() => [] as number[]));
  const byDistrict = DISTRICTS.map(() => [] as number[]);
  for (let v = 0; v < count; v++) {
    const g = generateVenue(seed, v);
    places.push(g.place);
    category[v] = g.category;
    district[v] = g.district;
    byDistrictCategory[g.district]![g.category]!.push(v);
    byDistrict[g.district]!.push(v);
  }
  return { places, category, district, byDistrictCategory, byDistrict };
}

/**
 * A venue of the given category, in the district if it has one (popular venues more often),
 * else anywhere in the city.
 */
export function pickVenue(rng: Rng, venues: VenueRegistry, districtIndex: number, category: number): number {
  const local = venues.byDistrictCategory[districtIndex]![category]!;
  if (local.length > 0) return local[rng.skewed(local.length)]!;
  const any = venues.byDistrict[districtIndex]!;
  if (any.length > 0 && rng.chance(0.5)) return any[rng.skewed(any.length)]!;
  for (let tries = 0; tries < 8; tries++) {
    const v = rng.int(venues.places.length);
    if (venues.category[v] === category) return v;
  }
  return rng.int(venues.places.length);
}
