/**
 * Beijing's district names in both languages, by GB/T 2260 code (pure: no browser API, so the
 * filters and their unit tests can use it in Node). Re-exported by ./i18n.ts.
 */
import type { Lang } from './types.ts';

const DISTRICT_EN: Readonly<Record<string, string>> = {
  110101: 'Dongcheng', 110102: 'Xicheng', 110105: 'Chaoyang', 110106: 'Fengtai', 110107: 'Shijingshan', 110108: 'Haidian', 110109: 'Mentougou',
  110111: 'Fangshan', 110112: 'Tongzhou', 110113: 'Shunyi', 110114: 'Changping', 110115: 'Daxing', 110116: 'Huairou', 110117: 'Pinggu', 110118: 'Miyun', 110119: 'Yanqing',
};
const DISTRICT_ZH: Readonly<Record<string, string>> = {
  110101: '东城区', 110102: '西城区', 110105: '朝阳区', 110106: '丰台区', 110107: '石景山区', 110108: '海淀区', 110109: '门头沟区',
  110111: '房山区', 110112: '通州区', 110113: '顺义区', 110114: '昌平区', 110115: '大兴区', 110116: '怀柔区', 110117: '平谷区', 110118: '密云区', 110119: '延庆区',
};

/** A district's name in the language (Beijing's 16; the whole city for `11`/`1101`); the code itself otherwise. */
export function districtNamer(lang: Lang): (code: string) => string {
  return (code) => {
    if (code === '11' || code === '1101' || code === '110000' || code === '110100') return lang === 'zh' ? '北京市' : 'Beijing';
    return (lang === 'zh' ? DISTRICT_ZH[code] : DISTRICT_EN[code]) ?? code;
  };
}
