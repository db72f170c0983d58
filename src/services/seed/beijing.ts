import { BEIJING_DISTRICTS, divisionName, streetsOf } from '../../domain/divisions.ts';
import { cumulative } from './prng.ts';

/**
 * Facts about Beijing that the synthetic city is drawn from. Populations are the 2020 census
 * (10,000s); centres are APPROXIMATE district centres (a few kilometres off is fine for a demo)
 * and `spread` is an approximate radius in degrees within which venues are scattered.
 */
export interface DistrictFacts {
  code: string;
  name: string;
  population: number;
  /** Relative number of jobs (the city centre and the tech districts employ more than they house). */
  jobs: number;
  lat: number;
  lon: number;
  spread: number;
}

const FACTS: Record<string, Omit<DistrictFacts, 'code' | 'name'>> = {
  110101: { population: 70.9, jobs: 160, lat: 39.929, lon: 116.416, spread: 0.025 },
  110102: { population: 110.6, jobs: 220, lat: 39.912, lon: 116.366, spread: 0.025 },
  110105: { population: 345.2, jobs: 420, lat: 39.948, lon: 116.486, spread: 0.07 },
  110106: { population: 201.9, jobs: 150, lat: 39.858, lon: 116.287, spread: 0.06 },
  110107: { population: 56.8, jobs: 50, lat: 39.906, lon: 116.223, spread: 0.03 },
  110108: { population: 313.3, jobs: 400, lat: 39.960, lon: 116.298, spread: 0.07 },
  110109: { population: 39.3, jobs: 20, lat: 39.940, lon: 116.102, spread: 0.05 },
  110111: { population: 131.3, jobs: 60, lat: 39.736, lon: 116.139, spread: 0.1 },
  110112: { population: 184.0, jobs: 110, lat: 39.909, lon: 116.657, spread: 0.08 },
  110113: { population: 132.4, jobs: 110, lat: 40.130, lon: 116.654, spread: 0.08 },
  110114: { population: 226.9, jobs: 120, lat: 40.221, lon: 116.231, spread: 0.09 },
  110115: { population: 199.4, jobs: 140, lat: 39.727, lon: 116.341, spread: 0.08 },
  110116: { population: 44.1, jobs: 20, lat: 40.316, lon: 116.632, spread: 0.07 },
  110117: { population: 45.7, jobs: 20, lat: 40.141, lon: 117.121, spread: 0.06 },
  110118: { population: 52.8, jobs: 25, lat: 40.377, lon: 116.843, spread: 0.08 },
  110119: { population: 34.6, jobs: 15, lat: 40.456, lon: 115.975, spread: 0.07 },
};

export const DISTRICTS: readonly DistrictFacts[] = BEIJING_DISTRICTS.map((code) => {
  const f = FACTS[code];
  if (!f) throw new Error(`no facts for Beijing district ${code}`);
  return { code, name: divisionName(code)!, ...f };
});
export const HOME_WEIGHTS = cumulative(DISTRICTS.map((d) => d.population));
export const JOB_WEIGHTS = cumulative(DISTRICTS.map((d) => d.jobs));

/** A township-level street where people live (not an economic zone or an airport), with its name's stem. */
export interface Street {
  code: string;
  name: string;
  stem: string;
  rural: boolean;
}

const RESIDENTIAL = /(街道|地区|镇|乡)$/;
export const STREETS_BY_DISTRICT: readonly (readonly Street[])[] = DISTRICTS.map((d) =>
  streetsOf(d.code).map((code) => ({ code, name: divisionName(code)! })).filter((s) => RESIDENTIAL.test(s.name))
    .map((s) => {
      const stem = s.name.replace(RESIDENTIAL, '');
      // 张镇 keeps its 镇: a one-character stem is not a name on its own.
      return { ...s, stem: stem.length > 1 ? stem : s.name.replace(/(街道|地区)$/, ''), rural: /(镇|乡)$/.test(s.name) };
    }));

/** The district name without its 区 (朝阳区 → 朝阳), as in 朝阳医院. */
export const shortName = (d: DistrictFacts) => d.name.replace(/区$/, '');

export const ROAD_SUFFIXES = ['路', '大街', '东路', '西路', '南路', '北路', '街', '北里', '南里', '东街', '西街', '中路'];
export const HUTONG_DISTRICTS = new Set(['110101', '110102']);

/** Venue categories with relative frequency, opening hours and typical stay (minutes). */
export interface VenueCategory {
  key: string;
  weight: number;
  open: number;
  close: number;
  stay: [number, number];
}

export const VENUE_CATEGORIES: readonly VenueCategory[] = [
  { key: 'restaurant', weight: 26, open: 10, close: 22, stay: [40, 110] },
  { key: 'supermarket', weight: 14, open: 8, close: 22, stay: [20, 60] },
  { key: 'market', weight: 6, open: 6, close: 18, stay: [20, 60] },
  { key: 'shopping_mall', weight: 5, open: 10, close: 22, stay: [60, 180] },
  { key: 'metro_station', weight: 9, open: 5, close: 23, stay: [5, 20] },
  { key: 'office_building', weight: 10, open: 8, close: 20, stay: [60, 240] },
  { key: 'hospital', weight: 4, open: 7, close: 19, stay: [60, 180] },
  { key: 'pharmacy', weight: 5, open: 8, close: 22, stay: [10, 25] },
  { key: 'school', weight: 5, open: 7, close: 18, stay: [15, 60] },
  { key: 'gym', weight: 5, open: 7, close: 22, stay: [60, 120] },
  { key: 'cinema', weight: 3, open: 10, close: 23, stay: [110, 170] },
  { key: 'park', weight: 8, open: 6, close: 21, stay: [40, 150] },
];
export const VENUE_CATEGORY_WEIGHTS = cumulative(VENUE_CATEGORIES.map((c) => c.weight));

export const BRANDS: Readonly<Record<string, readonly string[]>> = {
  supermarket: ['物美超市', '永辉超市', '家乐福', '华联超市', '超市发', '京客隆', '盒马鲜生', '7-Eleven便利店', '便利蜂', '好邻居便利店'],
  restaurant: ['海底捞火锅', '四季民福烤鸭店', '庆丰包子铺', '眉州东坡', '西贝莜面村', '老北京炸酱面', '南京大牌档', '外婆家', '鼎泰丰', '嘉和一品粥', '和合谷', '东来顺饭庄', '呷哺呷哺', '金鼎轩', '局气'],
  gym: ['乐刻运动', '威尔士健身', '一兆韦德健身', '超级猩猩', '奥森健身'],
  cinema: ['万达影城', 'CGV影城', '博纳国际影城', '首都电影院', '耀莱成龙影城', '金逸影城'],
  shopping_mall: ['万达广场', '大悦城', '龙湖天街', '凯德MALL', '合生汇', '来福士中心', '华联购物中心'],
  pharmacy: ['金象大药房', '同仁堂药店', '嘉事堂药店', '老百姓大药房', '国大药房'],
  office_building: ['国际中心', '大厦', '科技园', '商务中心', '写字楼', '金融中心', '创意园'],
};

export const DISHES = ['家常菜', '面馆', '饺子馆', '烤鸭店', '川菜馆', '湘菜馆', '涮肉', '烧烤', '麻辣烫', '包子铺', '粥店', '小吃店'];
export const HOSPITAL_KINDS = ['医院', '中医医院', '妇幼保健院', '中西医结合医院'];
export const BANKS = ['中国工商银行', '中国建设银行', '中国农业银行', '中国银行', '交通银行', '北京银行', '招商银行'];
export const GOV_BUREAUS = ['市场监督管理局', '税务局', '人力资源和社会保障局', '卫生健康委员会', '城市管理委员会', '教育委员会', '住房和城乡建设委员会'];

/** Kinds of employer, with relative frequency, name parts and the jobs they offer (job, weight). */
export interface EmployerKind {
  key: string;
  weight: number;
  industries: readonly string[];
  jobs: readonly (readonly [string, number])[];
}

export const EMPLOYER_KINDS: readonly EmployerKind[] = [
  { key: 'tech', weight: 14, industries: ['网络科技', '信息技术', '软件', '数据科技', '智能科技', '电子商务'], jobs: [['软件工程师', 6], ['产品经理', 2], ['测试工程师', 2], ['运维工程师', 1], ['销售经理', 1], ['人力资源专员', 1]] },
  { key: 'trade', weight: 14, industries: ['商贸', '贸易', '文化传媒', '广告', '企业管理咨询', '教育科技'], jobs: [['销售', 4], ['会计', 2], ['行政专员', 2], ['市场专员', 2], ['客服专员', 2]] },
  { key: 'logistics', weight: 8, industries: ['物流', '快递', '运输', '供应链管理'], jobs: [['快递员', 5], ['货车司机', 2], ['仓库管理员', 2], ['调度员', 1]] },
  { key: 'construction', weight: 7, industries: ['建设工程', '建筑工程', '装饰工程', '市政工程'], jobs: [['建筑工人', 5], ['工程师', 2], ['项目经理', 1], ['安全员', 1]] },
  { key: 'manufacturing', weight: 7, industries: ['电子', '机械制造', '食品', '医药', '汽车零部件'], jobs: [['生产工人', 5], ['技术员', 2], ['质检员', 1], ['车间主任', 1]] },
  { key: 'property', weight: 5, industries: ['物业管理', '家政服务', '保安服务'], jobs: [['保安', 3], ['保洁员', 3], ['物业管理员', 2], ['维修工', 1]] },
  { key: 'bank', weight: 4, industries: [], jobs: [['银行职员', 3], ['客户经理', 2], ['柜员', 2]] },
  { key: 'hospital', weight: 5, industries: [], jobs: [['医生', 4], ['护士', 5], ['药剂师', 1], ['护工', 1]] },
  { key: 'school', weight: 6, industries: [], jobs: [['教师', 6], ['行政人员', 1], ['保安', 1]] },
  { key: 'government', weight: 4, industries: [], jobs: [['公务员', 5], ['社区工作者', 2]] },
  { key: 'catering', weight: 10, industries: [], jobs: [['厨师', 3], ['服务员', 4], ['店长', 1], ['外卖骑手', 2]] },
  { key: 'retail', weight: 8, industries: [], jobs: [['收银员', 3], ['店员', 4], ['理货员', 2], ['店长', 1]] },
];
export const EMPLOYER_KIND_WEIGHTS = cumulative(EMPLOYER_KINDS.map((k) => k.weight));
export const LEGAL_FORMS = ['有限公司', '有限公司', '有限责任公司', '股份有限公司'];

export const SYMPTOMS = ['发热', '咳嗽', '乏力', '咽痛', '肌肉酸痛', '头痛', '鼻塞', '流涕', '腹泻', '嗅觉减退'];
export const TEST_TYPES = ['核酸检测（RT-PCR）', '抗原检测'];

/** Mobile number prefixes of the three operators. */
export const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '166', '170', '176', '177', '178', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '193', '195', '198', '199'];

export const METRO_LINES = ['1', '2', '4', '5', '6', '7', '8', '9', '10', '13', '14', '15', '16', '17', '19'];
export const TRAIN_DESTINATIONS = ['天津', '天津西', '石家庄', '保定东', '济南西', '上海虹桥', '郑州东', '太原南', '沈阳北', '南京南', '武汉', '张家口', '承德南', '呼和浩特东'];
export const TRAIN_STATIONS = ['北京南站', '北京西站', '北京站', '北京北站', '北京朝阳站', '北京丰台站'];
