/**
 * The public site's frame: skip link, header with the navigation and the language switch, the
 * page (chosen by the path: `/`, `/exposures`, `/selfcheck`), and the list of releases with their
 * signature checks. Data is loaded once with the page, before anything is entered.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { AUTHORITY } from './authority.ts';
import { loadPublicData } from './data.ts';
import type { PublicData } from './data.ts';
import { Dashboard } from './dashboard.tsx';
import { Exposures } from './exposures.tsx';
import { districtNamer, formatInstant, initialLang, rememberLang, translator } from './i18n.ts';
import type { Translate } from './i18n.ts';
import { SelfCheckPage } from './selfcheck/page.tsx';
import type { Lang } from './types.ts';

type Page = 'dashboard' | 'exposures' | 'selfcheck';
const PATHS: Record<Page, string> = { dashboard: '/', exposures: '/exposures', selfcheck: '/selfcheck' };
const pageOf = (path: string): Page => (path.startsWith('/exposures') ? 'exposures' : path.startsWith('/selfcheck') ? 'selfcheck' : 'dashboard');
const TITLE_KEY = { dashboard: 'dash.title', exposures: 'exp.title', selfcheck: 'self.title' } as const;

export function Shell() {
  const page = pageOf(location.pathname);
  const [lang, setLang] = useState<Lang>(initialLang);
  const [data, setData] = useState<PublicData | null>(null);
  const [failed, setFailed] = useState(false);
  const t = useMemo(() => translator(lang), [lang]);
  const districtName = useMemo(() => districtNamer(lang), [lang]);

  useEffect(() => {
    loadPublicData(page === 'selfcheck').then(setData, () => setFailed(true));
  }, []);
  useEffect(() => {
    rememberLang(lang);
    document.title = `${t(TITLE_KEY[page])} · ${t('site')}`;
  }, [lang]);

  const selfCheckData = useMemo(() => (data ? { points: data.points, venues: data.venues } : null), [data]);
  return (
    <>
      <a class="skip" href="#main">{t('skip')}</a>
      <header class="top">
        <div class="bar">
          <p class="site">{t('site')}</p>
          <button type="button" class="lang" id="lang-switch" lang={lang === 'zh' ? 'en' : 'zh-CN'} aria-label={t('lang.switchLabel')} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{t('lang.switch')}</button>
        </div>
        <nav aria-label={t('navLabel')}>
          <ul>
            {(Object.keys(PATHS) as Page[]).map((p) => (
              <li key={p}><a href={PATHS[p]} aria-current={p === page ? 'page' : undefined}>{t(`nav.${p}`)}</a></li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {failed ? <p role="alert" class="error">{t('loadFailed')}</p> : null}
        {page === 'selfcheck'
          ? <SelfCheckPage lang={lang} data={selfCheckData} districtName={districtName} />
          : !data
            ? (failed ? null : <p class="loading" role="status">{t('loading')}</p>)
            : page === 'dashboard' ? <Dashboard lang={lang} t={t} data={data} districtName={districtName} /> : <Exposures lang={lang} t={t} data={data} districtName={districtName} />}
      </main>
      <footer>
        <Releases lang={lang} t={t} data={data} />
      </footer>
    </>
  );
}

function Releases({ lang, t, data }: { lang: Lang; t: Translate; data: PublicData | null }) {
  if (!data) return null;
  return (
    <section aria-labelledby="releases-title" class="releases">
      <h2 id="releases-title">{t('rel.title')}</h2>
      {data.releases.length === 0 ? <p>{t('rel.none')}</p> : (
        <ul>
          {data.releases.map((r) => (
            <li key={r.id} data-release={r.id} data-verified={r.verified ? 'yes' : 'no'} class={r.verified ? 'ok' : 'bad'}>
              <span class="mark" aria-hidden="true">{r.verified ? '✓' : '✗'}</span>{' '}
              {r.verified
                ? <>{t(`type.${r.type}` as 'type.risk_areas')} ({t('rel.entries', { n: r.entries })}): {t('rel.verified', { who: AUTHORITY.name[lang], at: formatInstant(lang, r.publishedAt) })}</>
                : <>{r.id}: <strong>{t('rel.notVerified')}</strong></>}
            </li>
          ))}
        </ul>
      )}
      <p class="small">{t('rel.key', { keyId: AUTHORITY.keyId })}</p>
    </section>
  );
}
