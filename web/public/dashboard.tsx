/**
 * The dashboard (`/`): the epidemic curve of the differentially private daily counts (whole city
 * or one district), the epsilon in one plain sentence, and a choropleth of Beijing's districts
 * drawn from the bundled boundaries (src/domain/data/beijing-districts.json). Both are SVG drawn
 * here (no chart library, no network), each with a table of the same numbers as its text alternative.
 */
import { useState } from 'preact/hooks';
import map from '../../src/domain/data/beijing-districts.json' with { type: 'json' };
import type { PublicData } from './data.ts';
import type { Translate } from './i18n.ts';
import type { DailyCounts, Lang } from './types.ts';

interface Props { lang: Lang; t: Translate; data: PublicData; districtName: (code: string) => string }

const DISTRICTS = map.districts as Record<string, { name: string; d: string; label: number[] }>;
/** Sequential colours (ColorBrewer Oranges), lightest for zero. */
export const MAP_COLOURS = ['#f7f4f0', '#fdd0a2', '#fdae6b', '#e6550d', '#a63603'] as const;

const seriesOf = (counts: DailyCounts, code: string): number[] => {
  const s = counts.series.get(code);
  if (s) return counts.days.map((d) => s.get(d) ?? 0);
  // No row for the whole area: the sum of the districts.
  return counts.days.map((d) => counts.districts.reduce((a, c) => a + (counts.series.get(c)?.get(d) ?? 0), 0));
};

const niceMax = (n: number): number => {
  if (n <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= n)!;
};

export function Dashboard({ lang, t, data, districtName }: Props) {
  const counts = data.counts;
  const [area, setArea] = useState('all');
  if (!counts || counts.days.length === 0) {
    return <><h1>{t('dash.title')}</h1><p>{t('dash.noCounts')}</p></>;
  }
  const code = area === 'all' ? counts.totalCode ?? 'all' : area;
  const values = seriesOf(counts, code);
  const areaName = area === 'all' ? t('dash.city') : districtName(area);
  const from = counts.days[0]!;
  const to = counts.days[counts.days.length - 1]!;
  return (
    <>
      <h1>{t('dash.title')}</h1>
      <p class="dp" data-testid="dp-sentence">{t('dash.dp', { eps: counts.epsilon })}</p>
      <section aria-labelledby="curve-title" class="card">
        <h2 id="curve-title">{t('dash.curve')}</h2>
        <div class="field">
          <label for="area-select">{t('dash.area')}</label>
          <select id="area-select" value={area} onChange={(e) => setArea((e.currentTarget as HTMLSelectElement).value)}>
            <option value="all">{t('dash.city')}</option>
            {counts.districts.map((c) => <option key={c} value={c}>{districtName(c)}</option>)}
          </select>
        </div>
        <Curve days={counts.days} values={values} desc={t('dash.curveDesc', { area: areaName, from, to, max: Math.max(0, ...values) })} />
        <details>
          <summary>{t('dash.showTable')}</summary>
          <table data-testid="curve-table">
            <caption>{t('dash.curve')} · {areaName}</caption>
            <thead><tr><th scope="col">{t('dash.date')}</th><th scope="col">{t('dash.count')}</th></tr></thead>
            <tbody>{counts.days.map((d, i) => <tr key={d}><th scope="row">{d}</th><td>{values[i]}</td></tr>)}</tbody>
          </table>
        </details>
      </section>
      <DistrictMap counts={counts} t={t} lang={lang} districtName={districtName} selected={area} from={from} to={to} />
    </>
  );
}

function Curve({ days, values, desc }: { days: readonly string[]; values: readonly number[]; desc: string }) {
  const W = 640;
  const H = 240;
  const left = 36;
  const bottom = 24;
  const top = 10;
  const max = niceMax(Math.max(1, ...values));
  const plotW = W - left - 8;
  const plotH = H - top - bottom;
  const bw = plotW / days.length;
  const y = (v: number) => top + plotH - (Math.max(0, v) / max) * plotH;
  const ticks = [0, max / 2, max];
  const labelAt = [0, Math.floor((days.length - 1) / 2), days.length - 1];
  return (
    <svg class="curve" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="curve-desc" data-testid="curve">
      <desc id="curve-desc">{desc}</desc>
      {ticks.map((v) => (
        <g key={v}>
          <line x1={left} x2={W - 8} y1={y(v)} y2={y(v)} stroke="#d0d0d0" stroke-width="1" />
          <text x={left - 6} y={y(v) + 4} text-anchor="end" font-size="11" fill="#333">{v}</text>
        </g>
      ))}
      {values.map((v, i) => (
        <rect key={days[i]} class="bar" x={left + i * bw + bw * 0.1} y={y(v)} width={Math.max(1, bw * 0.8)} height={Math.max(0, top + plotH - y(v))} fill="#c2410c">
          <title>{`${days[i]}: ${v}`}</title>
        </rect>
      ))}
      {[...new Set(labelAt)].map((i) => (
        <text key={i} x={left + i * bw + bw / 2} y={H - 6} text-anchor={i === 0 ? 'start' : i === days.length - 1 ? 'end' : 'middle'} font-size="11" fill="#333">{days[i]!.slice(5)}</text>
      ))}
    </svg>
  );
}

function DistrictMap({ counts, t, lang, districtName, selected, from, to }: { counts: DailyCounts; t: Translate; lang: Lang; districtName: (c: string) => string; selected: string; from: string; to: string }) {
  const totals = new Map(Object.keys(DISTRICTS).map((c) => [c, seriesOf(counts, c).reduce((a, b) => a + b, 0)]));
  const max = Math.max(0, ...totals.values());
  // Classes: 0, then four equal steps up to the largest total.
  const step = Math.max(1, Math.ceil(max / 4));
  const classOf = (v: number) => (v <= 0 ? 0 : Math.min(4, Math.ceil(v / step)));
  const legend = MAP_COLOURS.map((colour, k) => ({ colour, label: k === 0 ? '0' : `${(k - 1) * step + 1}–${k * step}` }));
  return (
    <section aria-labelledby="map-title" class="card">
      <h2 id="map-title">{t('dash.map')}</h2>
      <div class="map-wrap">
        <svg class="map" viewBox={`0 0 ${map.width} ${map.height}`} role="img" aria-labelledby="map-desc" data-testid="map">
          <desc id="map-desc">{t('dash.mapDesc', { from, to })}</desc>
          {Object.entries(DISTRICTS).map(([code, g]) => (
            <path key={code} d={g.d} data-district={code} data-class={classOf(totals.get(code)!)} fill={MAP_COLOURS[classOf(totals.get(code)!)]} fill-rule="evenodd"
              stroke={selected === code ? '#111' : '#fff'} stroke-width={selected === code ? 3 : 1.2}>
              <title>{`${districtName(code)}: ${totals.get(code)}`}</title>
            </path>
          ))}
        </svg>
        <div class="legend">
          <p>{t('dash.legend')}</p>
          <ul>{legend.map((l) => <li key={l.label}><svg class="swatch" width="16" height="16" aria-hidden="true"><rect width="16" height="16" fill={l.colour} stroke="#888" /></svg>{l.label}</li>)}</ul>
        </div>
      </div>
      <details>
        <summary>{t('dash.showMapTable')}</summary>
        <table data-testid="map-table">
          <caption>{t('dash.map')} ({from} – {to})</caption>
          <thead><tr><th scope="col">{t('dash.district')}</th><th scope="col">{t('dash.total')}</th></tr></thead>
          <tbody>{[...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c, v]) => <tr key={c}><th scope="row" lang={lang === 'zh' ? 'zh-CN' : 'en'}>{districtName(c)}</th><td>{v}</td></tr>)}</tbody>
        </table>
      </details>
    </section>
  );
}
