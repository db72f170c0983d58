/**
 * `/exposures`: the verified exposure points, searchable by venue name or address and filtered by
 * district and date, each with its window and what to do; and the verified risk areas. Filtering
 * runs in the page only (nothing typed is sent anywhere).
 */
import { useMemo, useState } from 'preact/hooks';
import type { PublicData } from './data.ts';
import { adviceIn, beijingDay, categoryName, formatDate, formatWindow } from './i18n.ts';
import type { Translate } from './i18n.ts';
import type { ExposurePoint, Lang } from './types.ts';

interface Props { lang: Lang; t: Translate; data: PublicData; districtName: (code: string) => string }

const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** Whether the point's window [start, end) touches the Beijing calendar day `day` (YYYY-MM-DD). */
export function onDay(p: Pick<ExposurePoint, 'windowStart' | 'windowEnd'>, day: string): boolean {
  return beijingDay(p.windowStart) <= day && beijingDay(Date.parse(p.windowEnd) - 1) >= day;
}

export function Exposures({ lang, t, data, districtName }: Props) {
  const [query, setQuery] = useState('');
  const [district, setDistrict] = useState('');
  const [day, setDay] = useState('');
  const districts = useMemo(() => [...new Set(data.points.map((p) => p.district))].sort(), [data]);
  const sorted = useMemo(() => [...data.points].sort((a, b) => b.windowStart.localeCompare(a.windowStart) || a.venueName.localeCompare(b.venueName)), [data]);
  const q = norm(query);
  const shown = sorted.filter((p) => (q === '' || norm(p.venueName).includes(q) || norm(p.venueAddress).includes(q))
    && (district === '' || p.district === district) && (day === '' || onDay(p, day)));
  const clear = () => { setQuery(''); setDistrict(''); setDay(''); };
  return (
    <>
      <h1>{t('exp.title')}</h1>
      <p>{t('exp.intro')}</p>
      <section aria-labelledby="areas-title" class="card">
        <h2 id="areas-title">{t('exp.areas')}</h2>
        {data.areas.length === 0 ? <p>{t('exp.noAreas')}</p> : (
          <ul class="entries" data-testid="areas">
            {data.areas.map((a, i) => (
              <li key={`${a.releaseId}-${i}`} class={`entry area-${a.level}`}>
                <h3><span class={`badge ${a.level}`}>{t(`area.${a.level}`)}</span> {a.kind === 'venue' && a.venueName ? a.venueName : `${districtName(a.district)} (${t('area.district')})`}</h3>
                <p>{districtName(a.district)} · {t('exp.window')}: {formatWindow(lang, a.windowStart, a.windowEnd)}</p>
                <p>{t('area.validUntil')}: {formatDate(lang, a.validUntil)}</p>
                <p class="advice"><strong>{t('exp.advice')}:</strong> {adviceIn(lang, a.advice)}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="points-title" class="card">
        <h2 id="points-title">{t('exp.points')}</h2>
        <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <div class="field grow">
            <label for="f-query">{t('exp.search')}</label>
            <input id="f-query" type="search" autocomplete="off" value={query} onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="f-district">{t('exp.district')}</label>
            <select id="f-district" value={district} onChange={(e) => setDistrict((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">{t('exp.allDistricts')}</option>
              {districts.map((c) => <option key={c} value={c}>{districtName(c)}</option>)}
            </select>
          </div>
          <div class="field">
            <label for="f-date">{t('exp.date')}</label>
            <input id="f-date" type="date" value={day} onInput={(e) => setDay((e.currentTarget as HTMLInputElement).value)} onChange={(e) => setDay((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <button type="button" onClick={clear}>{t('exp.clear')}</button>
        </form>
        <p role="status" data-testid="point-count">{t('exp.count', { n: shown.length })}</p>
        {shown.length === 0 ? <p>{t('exp.none')}</p> : (
          <ul class="entries" data-testid="points">
            {shown.map((p) => (
              <li key={`${p.releaseId}-${p.venueId}-${p.windowStart}`} class="entry" data-venue={p.venueId}>
                <h3>{p.venueName}</h3>
                <p class="meta">{p.venueAddress} · {districtName(p.district)} · {categoryName(lang, p.venueCategory)}</p>
                <p><strong>{t('exp.window')}:</strong> {formatWindow(lang, p.windowStart, p.windowEnd)}</p>
                <p class="advice"><strong>{t('exp.advice')}:</strong> {adviceIn(lang, p.advice)}</p>
                <p class="small">{t('exp.expires')} {formatDate(lang, p.expiresAt)}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
