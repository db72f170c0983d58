/** The self-check's words, in Chinese and English (the page's language comes from the shell). */
import type { Lang } from '../types.ts';
import type { Field, ItineraryError, ItineraryProblem } from './itinerary.ts';

const en = {
  title: 'Self-check: was I at an exposure point?',
  privacy: 'Everything you enter stays in this browser. Matching runs on this page against the exposure points it downloaded when it opened; nothing you enter or open is sent anywhere, stored or put in the address.',
  loading: 'Loading the published exposure points…',
  dataSummary: 'Exposure points from verified releases: {points}. Public venues to choose from: {venues}.',
  noPoints: 'No exposure point is published at the moment.',
  addHeading: 'Add a place you visited',
  venue: 'Place',
  venueHint: 'Type part of the name or address, then choose from the list.',
  venueNoMatch: 'No public venue matches what you typed.',
  venueSuggestions: '{n} suggestions; use the up and down arrows to choose.',
  date: 'Date',
  from: 'From',
  to: 'To',
  timeZoneNote: 'Times are China Standard Time (UTC+8), the time of the published windows.',
  add: 'Add this stay',
  added: 'Stay added. {n} in your list.',
  fileHeading: 'Or open an itinerary file',
  fileLabel: 'Itinerary file (CSV or JSON)',
  fileHint: 'The file is read by this page only; it is never uploaded. CSV with the header venue,date,from,to (venue id or exact name, YYYY-MM-DD, HH:MM), or JSON [{"venue", "date", "from", "to"}].',
  fileRead: '{n} stays read from the file.',
  fileErrors: 'Some lines of the file could not be used:',
  fileTooLarge: 'The file is larger than 1 MB; an itinerary is much smaller.',
  fileUnreadable: 'The file could not be read.',
  listHeading: 'Your stays',
  listEmpty: 'No stay yet. Add places above or open a file.',
  remove: 'Remove',
  removeLabel: 'Remove the stay at {venue} on {date}, {from}–{to}',
  removed: 'Stay removed. {n} in your list.',
  clear: 'Remove all',
  check: 'Check my stays',
  resultHeading: 'Result',
  matchSummary: '{n} of your {total} stays overlap published exposure points.',
  yourStay: 'Your stay',
  exposureWindow: 'Exposure window',
  whatToDo: 'What to do',
  adviceGeneral: 'Follow the advice published with the point: watch your health for 14 days after the visit and, with fever, cough or other symptoms, see a doctor and mention the visit. A match means you were at the place during the window; it does not mean you are infected. This page sent nothing: you decide whom to tell.',
  noMatchSummary: 'None of your {total} stays overlaps a published exposure point.',
  noMatchMeans: 'What this means: none of the places and times you entered is among the {points} exposure points published by the health authority and verified by this page.',
  noMatchNotMeans: 'What it does not mean: it does not prove you were not exposed. Points are published only where enough people were present and never for homes, workplaces or schools; they are published after cases are investigated, so a recent visit may not be listed yet; and only places of the public registry can be checked. If you have symptoms, see a doctor anyway, and check again in a few days.',
  invalidSummary: 'Please correct the highlighted fields.',
  where: { line: 'Line {n}', entry: 'Entry {n}', file: 'The file' },
  field: { venue: 'place', date: 'date', from: 'from', to: 'to' } as Record<Field, string>,
  problem: {
    empty: 'contains no stay',
    too_large: 'is larger than 1 MB',
    too_many: 'has more than 1,000 stays; only the first 1,000 were read',
    not_text: 'is not a UTF-8 text file',
    header: 'the header lacks the column "{column}" (the first line must name venue,date,from,to)',
    header_duplicate: 'the header names the column "{column}" twice',
    quote: 'has a misplaced or unterminated quote',
    columns: 'has fewer columns than the header',
    json: 'is not valid JSON',
    json_shape: 'is not a list of stays with text fields venue, date, from and to',
    missing: 'is empty',
    venue_unknown: 'is not a venue of the public registry (use its id or exact name)',
    venue_ambiguous: 'is the name of several venues; use the venue id',
    date_invalid: 'is not a date (YYYY-MM-DD)',
    time_invalid: 'is not a time (HH:MM, 24-hour)',
    time_order: 'must be later than the start on the same day (split a stay past midnight in two)',
  } as Record<ItineraryProblem, string>,
};

type Strings = typeof en;

const zh: Strings = {
  title: '自查：我是否到访过暴露点位？',
  privacy: '您输入的一切只留在本浏览器中。比对在本页面内进行，所用的是页面打开时下载的暴露点位；您输入或打开的任何内容都不会被发送、保存或写入网址。',
  loading: '正在加载已发布的暴露点位…',
  dataSummary: '已验证发布中的暴露点位 {points} 个；可选公共场所 {venues} 个。',
  noPoints: '目前没有已发布的暴露点位。',
  addHeading: '添加您到访过的场所',
  venue: '场所',
  venueHint: '输入名称或地址的一部分，然后从列表中选择。',
  venueNoMatch: '没有与输入内容相符的公共场所。',
  venueSuggestions: '共 {n} 个建议；用上下方向键选择。',
  date: '日期',
  from: '开始时间',
  to: '结束时间',
  timeZoneNote: '时间为北京时间（UTC+8），与发布的时段一致。',
  add: '添加这次到访',
  added: '已添加。列表中共 {n} 条。',
  fileHeading: '或打开行程文件',
  fileLabel: '行程文件（CSV 或 JSON）',
  fileHint: '文件只由本页面读取，不会上传。CSV 首行为 venue,date,from,to（场所编号或完整名称、YYYY-MM-DD、HH:MM），或 JSON [{"venue", "date", "from", "to"}]。',
  fileRead: '已从文件读取 {n} 条到访。',
  fileErrors: '文件中以下内容无法使用：',
  fileTooLarge: '文件超过 1 MB；行程文件通常小得多。',
  fileUnreadable: '无法读取该文件。',
  listHeading: '您的到访记录',
  listEmpty: '尚无记录。请在上方添加场所或打开文件。',
  remove: '删除',
  removeLabel: '删除 {date} {from}–{to} 在 {venue} 的到访',
  removed: '已删除。列表中共 {n} 条。',
  clear: '全部删除',
  check: '开始自查',
  resultHeading: '自查结果',
  matchSummary: '您的 {total} 条到访中有 {n} 条与已发布的暴露点位重叠。',
  yourStay: '您的到访',
  exposureWindow: '暴露时段',
  whatToDo: '应当怎么做',
  adviceGeneral: '请按点位发布的建议做：到访后 14 天内自我健康监测，出现发热、咳嗽等症状及时就医并主动告知到访史。重叠只说明您在该时段到过该场所，不代表您已被感染。本页面没有发送任何信息：是否告知他人由您决定。',
  noMatchSummary: '您的 {total} 条到访均未与已发布的暴露点位重叠。',
  noMatchMeans: '这意味着：您输入的场所和时间都不在卫生健康部门发布、并经本页面验证的 {points} 个暴露点位之中。',
  noMatchNotMeans: '这并不意味着：它不能证明您没有暴露。只有到访人数足够多时才会发布点位，住所、工作场所和学校从不发布；点位在病例调查之后才发布，近期的到访可能尚未列出；并且只能核对公共场所名录中的场所。如有症状仍请就医，并在几天后再次自查。',
  invalidSummary: '请更正标出的栏目。',
  where: { line: '第 {n} 行', entry: '第 {n} 条', file: '该文件' },
  field: { venue: '场所', date: '日期', from: '开始时间', to: '结束时间' },
  problem: {
    empty: '没有任何到访',
    too_large: '超过 1 MB',
    too_many: '超过 1000 条，只读取了前 1000 条',
    not_text: '不是 UTF-8 文本文件',
    header: '首行缺少列“{column}”（首行须为 venue,date,from,to）',
    header_duplicate: '首行两次出现列“{column}”',
    quote: '引号位置不对或未闭合',
    columns: '列数少于首行',
    json: '不是有效的 JSON',
    json_shape: '不是含有文本字段 venue、date、from、to 的到访列表',
    missing: '为空',
    venue_unknown: '不是公共场所名录中的场所（请用编号或完整名称）',
    venue_ambiguous: '有多个场所同名；请用场所编号',
    date_invalid: '不是日期（YYYY-MM-DD）',
    time_invalid: '不是时间（24 小时制 HH:MM）',
    time_order: '须晚于同一天的开始时间（跨过午夜的到访请分成两条）',
  },
};

const STRINGS: Record<Lang, Strings> = { en, zh };

export type StringKey = { [K in keyof Strings]: Strings[K] extends string ? K : never }[keyof Strings];

/** A string of the page in `lang`, with `{name}` placeholders filled. */
export function s(lang: Lang, key: StringKey, vars: Record<string, string | number> = {}): string {
  return fill(STRINGS[lang][key], vars);
}

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** A problem of the itinerary file, e.g. "Line 4, date: is not a date (YYYY-MM-DD)". Names position and column only, never content. */
export function describeError(lang: Lang, e: ItineraryError): string {
  const t = STRINGS[lang];
  const where = fill(t.where[e.where], { n: e.n });
  const problem = fill(t.problem[e.problem], { column: e.field ?? '' });
  const header = e.problem === 'header' || e.problem === 'header_duplicate';
  if (lang === 'zh') return e.field && !header ? `${where}，${t.field[e.field]}：${problem}` : header ? `${where}：${problem}` : `${where}${problem}`;
  return e.field && !header ? `${where}, ${t.field[e.field]}: ${problem}` : header ? `${where}: ${problem}` : `${where} ${problem}`;
}

/** The message of one field error of the form, e.g. "Date: is not a date (YYYY-MM-DD)". */
export function fieldProblem(lang: Lang, field: Field, problem: ItineraryProblem): string {
  const t = STRINGS[lang];
  return `${t[field]}${lang === 'zh' ? '：' : ': '}${t.problem[problem]}`;
}
