/**
 * `/exposures`: the verified risk areas and exposure points, each with its window and what to do;
 * one set of filters (search text, district, date: ./filters.ts) applies to both lists. Filtering
 * runs in the page only (nothing typed is sent anywhere).
 */
import { useMemo, useState } from 'preact/hooks';
import type { PublicData } from './data.ts';
import { areaDistrict, areaShown, pointShown, venueDistrictsOf } from './filters.ts';
import { adviceIn, categoryName, formatDate, formatWindow } from './i18n.ts';
import type { Translate } from './i18n.ts';
import type { Lang } from './types.ts';

interface Props { lang: Lang; t: Translate; data: PublicData; districtName: (code: string) => string }

export function Exposures({ lang, t, data, districtName }: Props) {
  const [query, setQuery] = useState('');
  const [district, setDistrict] = useState('');
  const [day, setDay] = useState('');
  const venueDistricts = useMemo(() => venueDistrictsOf(data.points, data.venues), [data]);
  const districts = useMemo(() => [...new Set([...data.points.map((p) => p.district), ...data.areas.map((a) => areaDistrict(a, venueDistricts))])].filter((c) => c !== '').sort(), [data, venueDistricts]);
  const sorted = useMemo(() => [...data.points].sort((a, b) => b.windowStart.localeCompare(a.windowStart) || a.venueName.localeCompare(b.venueName)), [data]);
  const filter = { query, district, day };
  const shown = sorted.filter((p) => pointShown(p, filter, districtName));
  const areas = data.areas.filter((a) => areaShown(a, filter, districtName, venueDistricts));
  const clear = () => { setQuery(''); setDistrict(''); setDay(''); };
  return (
    <>
      <h1>{t('exp.title')}</h1>
      <p>{t('exp.intro')}</p>
      <form class="filters card" role="search" aria-label={t('exp.filters')} data-testid="filters" onSubmit={(e) => e.preventDefault()}>
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
      <section aria-labelledby="areas-title" class="card">
        <h2 id="areas-title">{t('exp.areas')}</h2>
        {data.areas.length === 0 ? <p>{t('exp.noAreas')}</p> : <p role="status" data-testid="area-count">{t('exp.areaCount', { n: areas.length })}</p>}
        {data.areas.length === 0 ? null : areas.length === 0 ? <p>{t('exp.noAreasMatch')}</p> : (
          <ul class="entries" data-testid="areas">
            {areas.map((a) => (
              <li key={`${a.releaseId}-${data.areas.indexOf(a)}`} class={`entry area-${a.level}`} data-district={areaDistrict(a, venueDistricts)}>
                <h3><span class={`badge ${a.level}`}>{t(`area.${a.level}`)}</span> {a.kind === 'venue' && a.venueName ? a.venueName : `${districtName(a.district)} (${t('area.district')})`}</h3>
                <p>{districtName(areaDistrict(a, venueDistricts))} · {t('exp.window')}: {formatWindow(lang, a.windowStart, a.windowEnd)}</p>
                <p>{t('area.validUntil')}: {formatDate(lang, a.validUntil)}</p>
                <p class="advice"><strong>{t('exp.advice')}:</strong> {adviceIn(lang, a.advice)}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="points-title" class="card">
        <h2 id="points-title">{t('exp.points')}</h2>
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
