/**
 * The public site's words in Simplified Chinese and English. The language is the visitor's choice
 * (remembered in localStorage) or, on the first visit, taken from the browser's language.
 */
import { beijingDay } from './calendar.ts';
import type { Lang } from './types.ts';

const STORAGE_KEY = 'epivault.public.lang';

export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    // storage disabled: fall back to the browser's language
  }
  return (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

const zh = {
  site: '公共卫生信息公开',
  skip: '跳到正文',
  navLabel: '主导航',
  'nav.dashboard': '疫情动态',
  'nav.exposures': '暴露点位与风险区域',
  'nav.selfcheck': '自查',
  'lang.switch': 'English',
  'lang.switchLabel': 'Switch to English',
  loading: '正在加载并核验发布的数据…',
  loadFailed: '数据加载失败，请稍后刷新页面。',
  'dash.title': '疫情动态',
  'dash.curve': '每日新增确诊病例',
  'dash.area': '范围',
  'dash.city': '全市',
  'dash.noCounts': '目前没有经过核验的每日病例数发布。',
  'dash.dp': '这些数字加入了随机噪声（隐私参数 ε = {eps}）：单日单区的数字并不精确，因此无法据此推断某个人是否被计入，但多日的整体趋势是可信的。',
  'dash.curveDesc': '{area}从 {from} 到 {to} 每日新增确诊病例数，最高 {max} 例。',
  'dash.showTable': '以表格显示这些数字',
  'dash.date': '日期',
  'dash.count': '新增病例',
  'dash.map': '各区累计新增病例',
  'dash.mapDesc': '北京市各区 {from} 至 {to} 累计新增确诊病例，颜色越深病例越多。',
  'dash.legend': '图例（累计病例）',
  'dash.district': '区',
  'dash.total': '累计',
  'dash.showMapTable': '以表格显示各区数字',
  'exp.title': '暴露点位与风险区域',
  'exp.intro': '以下场所和时段有确诊病例到访。发布内容不包含任何病例信息，点位之间也互不关联。',
  'exp.search': '搜索场所名称、地址或区名',
  'exp.filters': '筛选风险区域和暴露点位',
  'exp.district': '区',
  'exp.allDistricts': '全部区',
  'exp.date': '日期',
  'exp.clear': '清除筛选',
  'exp.count': '共 {n} 个暴露点位',
  'exp.none': '没有符合条件的暴露点位。',
  'exp.window': '时段',
  'exp.advice': '建议',
  'exp.expires': '公布至',
  'exp.areas': '风险区域',
  'exp.noAreas': '目前没有公布的风险区域。',
  'exp.areaCount': '共 {n} 个风险区域',
  'exp.noAreasMatch': '没有符合条件的风险区域。',
  'exp.points': '暴露点位',
  'area.high': '高风险',
  'area.medium': '中风险',
  'area.district': '整个区',
  'area.validUntil': '有效期至',
  'rel.title': '发布与签名核验',
  'rel.verified': '已核验 — 由 {who} 于 {at} 签名',
  'rel.notVerified': '未通过核验 — 签名不符，本页未使用其内容',
  'rel.none': '目前没有公开发布。',
  'rel.key': '核验所用的公钥内置于本页（密钥编号 {keyId}），不随发布下载。',
  'type.exposure_points': '暴露点位',
  'type.risk_areas': '风险区域',
  'type.daily_counts': '每日病例数（差分隐私）',
  'rel.entries': '{n} 条',
  'self.title': '自查',
} as const;

type Key = keyof typeof zh;

const en: Record<Key, string> = {
  site: 'Public health information',
  skip: 'Skip to the main content',
  navLabel: 'Main navigation',
  'nav.dashboard': 'Epidemic dashboard',
  'nav.exposures': 'Exposure points and risk areas',
  'nav.selfcheck': 'Self-check',
  'lang.switch': '中文',
  'lang.switchLabel': '切换到中文',
  loading: 'Loading and verifying the published data…',
  loadFailed: 'The data could not be loaded. Please reload the page later.',
  'dash.title': 'Epidemic dashboard',
  'dash.curve': 'New confirmed cases per day',
  'dash.area': 'Area',
  'dash.city': 'Whole city',
  'dash.noCounts': 'There is no verified release of daily case numbers yet.',
  'dash.dp': 'Random noise was added to these numbers (privacy parameter ε = {eps}): a single day in a single district is not exact, so nobody can tell from it whether any one person was counted, but the trend over days is reliable.',
  'dash.curveDesc': 'New confirmed cases per day in {area} from {from} to {to}; at most {max}.',
  'dash.showTable': 'Show these numbers as a table',
  'dash.date': 'Date',
  'dash.count': 'New cases',
  'dash.map': 'New cases by district, whole period',
  'dash.mapDesc': 'New confirmed cases in each district of Beijing from {from} to {to}; the darker, the more cases.',
  'dash.legend': 'Legend (cases in the period)',
  'dash.district': 'District',
  'dash.total': 'Cases',
  'dash.showMapTable': 'Show the districts\' numbers as a table',
  'exp.title': 'Exposure points and risk areas',
  'exp.intro': 'Confirmed cases were at these places in these time windows. Nothing here says anything about the cases, and the points are not linked to each other.',
  'exp.search': 'Search a place name, address or district',
  'exp.filters': 'Filter the risk areas and exposure points',
  'exp.district': 'District',
  'exp.allDistricts': 'All districts',
  'exp.date': 'Date',
  'exp.clear': 'Clear the filters',
  'exp.count': '{n} exposure points',
  'exp.none': 'No exposure point matches.',
  'exp.window': 'When',
  'exp.advice': 'What to do',
  'exp.expires': 'Listed until',
  'exp.areas': 'Risk areas',
  'exp.noAreas': 'No risk area is published at present.',
  'exp.areaCount': '{n} risk areas',
  'exp.noAreasMatch': 'No risk area matches.',
  'exp.points': 'Exposure points',
  'area.high': 'High risk',
  'area.medium': 'Medium risk',
  'area.district': 'the whole district',
  'area.validUntil': 'Valid until',
  'rel.title': 'Releases and signature checks',
  'rel.verified': 'verified — signed by {who} at {at}',
  'rel.notVerified': 'NOT verified — the signature does not match; this page does not use it',
  'rel.none': 'Nothing is published at present.',
  'rel.key': 'The public key used for these checks is built into this page (key {keyId}); it is not downloaded with the releases.',
  'type.exposure_points': 'Exposure points',
  'type.risk_areas': 'Risk areas',
  'type.daily_counts': 'Daily case numbers (differential privacy)',
  'rel.entries': '{n} entries',
  'self.title': 'Self-check',
};

export type Translate = (key: Key, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const table: Record<Key, string> = lang === 'zh' ? zh : en;
  return (key, vars) => table[key].replace(/\{(\w+)\}/g, (_m, name: string) => String(vars?.[name] ?? `{${name}}`));
}

export { districtNamer } from './districts.ts';

const CATEGORY: Readonly<Record<string, readonly [string, string]>> = {
  restaurant: ['餐馆', 'restaurant'], supermarket: ['超市', 'supermarket'], market: ['市场', 'market'], shopping_mall: ['商场', 'shopping mall'],
  metro_station: ['地铁站', 'metro station'], hospital: ['医院', 'hospital'], pharmacy: ['药店', 'pharmacy'], gym: ['健身房', 'gym'],
  cinema: ['电影院', 'cinema'], park: ['公园', 'park'],
};
export const categoryName = (lang: Lang, key: string): string => CATEGORY[key]?.[lang === 'zh' ? 0 : 1] ?? key.replace(/_/g, ' ');

/** The advice is published as one string, Chinese then English: the part in the page's language. */
export function adviceIn(lang: Lang, advice: string): string {
  const at = advice.search(/[A-Za-z]/);
  if (at <= 0) return advice;
  return lang === 'zh' ? advice.slice(0, at).trim() : advice.slice(at).trim();
}

const TZ = 'Asia/Shanghai';
const dateFmt = (lang: Lang) => new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: TZ, year: 'numeric', month: 'short', day: 'numeric' });
const timeFmt = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** YYYY-MM-DD of an instant in Beijing time (./calendar.ts). */
export { beijingDay };
export const formatDate = (lang: Lang, iso: string | number): string => dateFmt(lang).format(new Date(iso));
/** "12 Nov 2026, 14:00–16:00 (Beijing time)" or across days "… – …". */
export function formatWindow(lang: Lang, start: string, end: string): string {
  const endInclusive = Date.parse(end) - 1;
  const sameDay = beijingDay(start) === beijingDay(endInclusive);
  const tz = lang === 'zh' ? '（北京时间）' : ' (Beijing time)';
  const endTime = timeFmt.format(new Date(end)) === '00:00' && sameDay ? '24:00' : timeFmt.format(new Date(end));
  return sameDay
    ? `${formatDate(lang, start)} ${timeFmt.format(new Date(start))}–${endTime}${tz}`
    : `${formatDate(lang, start)} ${timeFmt.format(new Date(start))} – ${formatDate(lang, end)} ${timeFmt.format(new Date(end))}${tz}`;
}
export const formatInstant = (lang: Lang, iso: string): string => `${formatDate(lang, iso)} ${timeFmt.format(new Date(iso))}${lang === 'zh' ? '（北京时间）' : ' (Beijing time)'}`;
