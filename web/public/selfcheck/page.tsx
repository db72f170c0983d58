/**
 * The self-check page (issue #7 item 4, ./README.md), rendered by the public site's shell at
 * `/selfcheck` with the data it loaded with the page (verified exposure points and the public venue
 * registry). The citizen adds stays — a venue picked from the registry, a date and times — or opens
 * an itinerary file; matching runs here, in the browser, and the result is explained.
 *
 * Nothing entered leaves the page: no request is made (no fetch, no form submission — there is no
 * <form> element — no link or navigation carrying the stays, no query string), nothing is stored
 * (no localStorage, sessionStorage, cookie or history state), and the file is read with FileReader.
 * test/browser/public-selfcheck.test.ts records every request of the page to prove it.
 */
import type { TargetedKeyboardEvent } from 'preact';
import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { adviceIn } from '../i18n.ts';
import type { Lang, PublicVenue, SelfCheckPageProps } from '../types.ts';
import { makeEntry, MAX_FILE_BYTES, normalizeName, parseItinerary, venueLookup } from './itinerary.ts';
import type { Field, ItineraryEntry, ItineraryError, ItineraryProblem } from './itinerary.ts';
import { indexPoints, matchStays } from './match.ts';
import { describeError, fieldProblem, s } from './strings.ts';

const HOUR_MS = 3_600_000;
const CST_MS = 8 * HOUR_MS;
const MAX_SUGGESTIONS = 8;

/** `YYYY-MM-DD` and `HH:MM` of an instant in China Standard Time (the time of the published windows). */
function cst(ms: number): { date: string; time: string } {
  const iso = new Date(ms + CST_MS).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** A window as `2024-03-01 12:00–14:00`, or with both dates when it spans midnight. */
function windowText(startIso: string, endIso: string): string {
  const a = cst(Date.parse(startIso));
  const b = cst(Date.parse(endIso));
  if (a.date === b.date) return `${a.date} ${a.time}–${b.time}`;
  // A window ending at midnight reads better as 24:00 of its day.
  if (b.time === '00:00' && Date.parse(endIso) - Date.parse(startIso) <= 24 * HOUR_MS && cst(Date.parse(endIso) - 1).date === a.date) return `${a.date} ${a.time}–24:00`;
  return `${a.date} ${a.time} – ${b.date} ${b.time}`;
}

interface StayItem {
  readonly key: number;
  readonly entry: ItineraryEntry;
}

type FieldErrors = Partial<Record<Field, ItineraryProblem>>;

/** The venue search: a labelled combobox with a listbox of suggestions (WAI-ARIA 1.2 combobox pattern). */
function VenuePicker(props: {
  lang: Lang; venues: readonly PublicVenue[]; districtName: (code: string) => string;
  query: string; onQuery: (q: string) => void; onChoose: (v: PublicVenue) => void; error: ItineraryProblem | undefined;
}) {
  const { lang, venues, districtName, query } = props;
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  // Lower-cased name, address and id of each venue, built once per registry.
  const haystack = useMemo(() => venues.map((v) => `${normalizeName(v.name)}\n${normalizeName(v.address)}\n${v.id}`.toLowerCase()), [venues]);
  const suggestions = useMemo(() => {
    const q = normalizeName(query).toLowerCase();
    if (q === '') return [];
    const starts: PublicVenue[] = [];
    const contains: PublicVenue[] = [];
    for (let i = 0; i < venues.length && starts.length < MAX_SUGGESTIONS; i++) {
      const h = haystack[i]!;
      if (h.startsWith(q)) starts.push(venues[i]!);
      else if (contains.length < MAX_SUGGESTIONS && h.includes(q)) contains.push(venues[i]!);
    }
    return [...starts, ...contains].slice(0, MAX_SUGGESTIONS);
  }, [query, venues, haystack]);
  const expanded = open && suggestions.length > 0;
  const choose = (v: PublicVenue) => {
    props.onChoose(v);
    setOpen(false);
    setActive(-1);
  };
  const onKeyDown = (e: TargetedKeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, suggestions.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && expanded && active >= 0 && suggestions[active]) {
      e.preventDefault();
      choose(suggestions[active]);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };
  const described = [`${id}-hint`, props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field sc-venue${props.error ? ' has-error' : ''}`}>
      <label for={`${id}-input`}>{s(lang, 'venue')}</label>
      <input
        id={`${id}-input`} type="text" role="combobox" autocomplete="off" spellcheck={false} data-testid="venue-input"
        aria-autocomplete="list" aria-expanded={expanded} aria-controls={`${id}-list`} aria-describedby={described}
        aria-activedescendant={expanded && active >= 0 ? `${id}-opt-${active}` : undefined} aria-invalid={props.error ? true : undefined}
        value={query}
        onInput={(e) => {
          props.onQuery(e.currentTarget.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <ul id={`${id}-list`} role="listbox" aria-label={s(lang, 'venue')} class="sc-suggestions" hidden={!expanded} data-testid="venue-list">
        {expanded ? suggestions.map((v, i) => (
          <li
            key={v.id} id={`${id}-opt-${i}`} role="option" aria-selected={i === active} class={i === active ? 'active' : ''} data-testid="venue-option"
            // mousedown would blur the input (closing the list) before the click lands.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(v)}
          >
            <span class="sc-venue-name">{v.name}</span> <span class="sc-venue-where">{districtName(v.district)} · {v.address}</span>
          </li>
        )) : null}
      </ul>
      <p id={`${id}-hint`} class="small">{s(lang, 'venueHint')}</p>
      <p class="sc-sr-only" role="status">{open && query.trim() !== '' ? (suggestions.length > 0 ? s(lang, 'venueSuggestions', { n: suggestions.length }) : s(lang, 'venueNoMatch')) : ''}</p>
      {props.error ? <p id={`${id}-error`} class="error">{fieldProblem(lang, 'venue', props.error)}</p> : null}
    </div>
  );
}

function TimeField(props: { lang: Lang; field: 'date' | 'from' | 'to'; value: string; onChange: (v: string) => void; onEnter: () => void; error: ItineraryProblem | undefined }) {
  const id = useId();
  const { lang, field } = props;
  return (
    <div class={`field${props.error ? ' has-error' : ''}`}>
      <label for={id}>{s(lang, field)}</label>
      <input
        id={id} type={field === 'date' ? 'date' : 'time'} value={props.value} data-testid={`stay-${field}`}
        aria-invalid={props.error ? true : undefined} aria-describedby={props.error ? `${id}-error` : undefined}
        onInput={(e) => props.onChange(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            props.onEnter();
          }
        }}
      />
      {props.error ? <p id={`${id}-error`} class="error">{fieldProblem(lang, field, props.error)}</p> : null}
    </div>
  );
}

type FileOutcome = { readonly read: number; readonly errors: readonly ItineraryError[] } | { readonly fatal: 'fileTooLarge' | 'fileUnreadable' };

export function SelfCheckPage({ lang, data, districtName }: SelfCheckPageProps) {
  const [stays, setStays] = useState<StayItem[]>([]);
  const nextKey = useRef(1);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<PublicVenue | null>(null);
  const [date, setDate] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [file, setFile] = useState<FileOutcome | null>(null);
  /** How many times the citizen pressed Check (0: not yet); the result then follows the list. */
  const [checkRun, setCheckRun] = useState(0);
  const checked = checkRun > 0;
  const [announce, setAnnounce] = useState('');
  const resultRef = useRef<HTMLElement>(null);
  const ids = useId();

  const venues = data?.venues ?? [];
  const index = useMemo(() => (data ? indexPoints(data.points) : null), [data]);
  const lookup = useMemo(() => venueLookup(venues), [venues]);
  const venueById = useMemo(() => new Map(venues.map((v) => [v.id, v])), [venues]);
  const matches = useMemo(() => (index && checked ? matchStays(index, stays.map((x) => x.entry)) : []), [index, stays, checked]);

  useEffect(() => {
    if (checkRun > 0) resultRef.current?.focus();
  }, [checkRun]);

  const append = (entries: readonly ItineraryEntry[]) => {
    setStays((list) => [...list, ...entries.map((entry) => ({ key: nextKey.current++, entry }))]);
  };

  const addStay = () => {
    // A venue chosen from the list counts; otherwise what was typed must be an id or an exact name.
    const venueText = chosen && chosen.name === query ? chosen.id : query;
    const r = makeEntry(lookup, { venue: venueText, date, from, to });
    if (!r.ok) {
      setErrors(Object.fromEntries(r.errors.map((e) => [e.field, e.problem])));
      setAnnounce(s(lang, 'invalidSummary'));
      return;
    }
    setErrors({});
    append([r.entry]);
    setAnnounce(s(lang, 'added', { n: stays.length + 1 }));
    setQuery('');
    setChosen(null);
    setFrom('');
    setTo('');
  };

  const removeStay = (key: number) => {
    setStays((list) => list.filter((x) => x.key !== key));
    setAnnounce(s(lang, 'removed', { n: stays.length - 1 }));
    if (stays.length <= 1) setCheckRun(0);
  };

  const openFile = (input: HTMLInputElement) => {
    const f = input.files?.[0];
    if (!f) return;
    if (f.size > MAX_FILE_BYTES) {
      setFile({ fatal: 'fileTooLarge' });
      input.value = '';
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      const parsed = parseItinerary(typeof reader.result === 'string' ? reader.result : '', lookup);
      append(parsed.entries);
      setFile({ read: parsed.entries.length, errors: parsed.errors });
      setAnnounce(s(lang, 'fileRead', { n: parsed.entries.length }));
    };
    reader.onerror = () => setFile({ fatal: 'fileUnreadable' });
    reader.readAsText(f, 'utf-8');
    // The same file may be opened again after a correction.
    input.value = '';
  };

  const colon = lang === 'zh' ? '：' : ': ';
  const venueName = (id: string) => venueById.get(id)?.name ?? id;
  const stayText = (e: ItineraryEntry) => `${e.date} ${e.from}–${e.to}`;

  return (
    <div class="sc-page" data-testid="selfcheck-page" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <h1>{s(lang, 'title')}</h1>
      <p class="sc-privacy" data-testid="selfcheck-privacy">{s(lang, 'privacy')}</p>
      {!data ? <p role="status" data-testid="selfcheck-loading">{s(lang, 'loading')}</p> : (
        <>
          <p class="sc-summary" data-testid="selfcheck-data">
            {s(lang, 'dataSummary', { points: data.points.length, venues: data.venues.length })}
            {data.points.length === 0 ? ` ${s(lang, 'noPoints')}` : ''}
          </p>

          <section class="card sc-add" aria-labelledby={`${ids}-add`}>
            <h2 id={`${ids}-add`}>{s(lang, 'addHeading')}</h2>
            <div class="sc-row">
              <VenuePicker
                lang={lang} venues={venues} districtName={districtName} query={query} error={errors.venue}
                onQuery={(q) => {
                  setQuery(q);
                  setChosen(null);
                }}
                onChoose={(v) => {
                  setQuery(v.name);
                  setChosen(v);
                }}
              />
            </div>
            <div class="sc-row sc-times">
              <TimeField lang={lang} field="date" value={date} onChange={setDate} onEnter={addStay} error={errors.date} />
              <TimeField lang={lang} field="from" value={from} onChange={setFrom} onEnter={addStay} error={errors.from} />
              <TimeField lang={lang} field="to" value={to} onChange={setTo} onEnter={addStay} error={errors.to} />
            </div>
            <p class="small">{s(lang, 'timeZoneNote')}</p>
            <button type="button" class="sc-primary" data-testid="add-stay" onClick={addStay}>{s(lang, 'add')}</button>
          </section>

          <section class="card sc-file" aria-labelledby={`${ids}-file`}>
            <h2 id={`${ids}-file`}>{s(lang, 'fileHeading')}</h2>
            <label for={`${ids}-file-input`}>{s(lang, 'fileLabel')}</label>
            <input id={`${ids}-file-input`} type="file" accept=".csv,.json,.txt,text/csv,application/json,text/plain" data-testid="itinerary-file" aria-describedby={`${ids}-file-hint`} onChange={(e) => openFile(e.currentTarget)} />
            <p id={`${ids}-file-hint`} class="small">{s(lang, 'fileHint')}</p>
            {file ? (
              <div class="sc-file-result" data-testid="file-result">
                {'fatal' in file ? <p class="error">{s(lang, file.fatal)}</p> : (
                  <>
                    <p>{s(lang, 'fileRead', { n: file.read })}</p>
                    {file.errors.length > 0 ? (
                      <>
                        <p class="error">{s(lang, 'fileErrors')}</p>
                        <ul class="sc-file-errors" data-testid="file-errors">
                          {file.errors.slice(0, 50).map((e, i) => <li key={i}>{describeError(lang, e)}</li>)}
                        </ul>
                      </>
                    ) : null}
                  </>
                )}
              </div>
            ) : null}
          </section>

          <section class="card sc-list" aria-labelledby={`${ids}-list`}>
            <h2 id={`${ids}-list`}>{s(lang, 'listHeading')}</h2>
            {stays.length === 0 ? <p data-testid="stays-empty">{s(lang, 'listEmpty')}</p> : (
              <>
                <ul data-testid="stays-list">
                  {stays.map(({ key, entry }) => (
                    <li key={key} data-testid="stay-item">
                      <span class="sc-stay-venue">{venueName(entry.venueId)}</span> <span class="sc-stay-time">{stayText(entry)}</span>
                      <button type="button" class="sc-remove" data-testid="remove-stay" aria-label={s(lang, 'removeLabel', { venue: venueName(entry.venueId), date: entry.date, from: entry.from, to: entry.to })} onClick={() => removeStay(key)}>
                        {s(lang, 'remove')}
                      </button>
                    </li>
                  ))}
                </ul>
                <div class="sc-actions">
                  <button type="button" class="sc-primary" data-testid="check" onClick={() => setCheckRun((n) => n + 1)}>{s(lang, 'check')}</button>
                  <button type="button" data-testid="clear-stays" onClick={() => {
                    setStays([]);
                    setCheckRun(0);
                  }}>{s(lang, 'clear')}</button>
                </div>
              </>
            )}
          </section>

          {checked && stays.length > 0 ? (
            <section class="card sc-result" aria-labelledby={`${ids}-result`} data-testid="result" tabIndex={-1} ref={resultRef}>
              <h2 id={`${ids}-result`}>{s(lang, 'resultHeading')}</h2>
              {matches.length > 0 ? (
                <div data-testid="result-match" class="sc-match">
                  <p class="sc-verdict">{s(lang, 'matchSummary', { n: matches.length, total: stays.length })}</p>
                  <ul>
                    {matches.map((m) => {
                      const stay = stays[m.stay]!.entry;
                      return (
                        <li key={stays[m.stay]!.key} data-testid="match-item">
                          <p><strong>{venueName(stay.venueId)}</strong> — {s(lang, 'yourStay')}{colon}{stayText(stay)}</p>
                          <ul>
                            {m.points.map((pi) => {
                              const p = data.points[pi]!;
                              return (
                                <li key={pi} data-testid="match-point">
                                  {s(lang, 'exposureWindow')}{colon}<span data-testid="match-window">{windowText(p.windowStart, p.windowEnd)}</span>
                                  {' · '}{districtName(p.district)} · {p.venueAddress}
                                  <p class="advice">{s(lang, 'whatToDo')}{colon}{adviceIn(lang, p.advice)}</p>
                                </li>
                              );
                            })}
                          </ul>
                        </li>
                      );
                    })}
                  </ul>
                  <p class="sc-advice-general">{s(lang, 'adviceGeneral')}</p>
                </div>
              ) : (
                <div data-testid="result-none" class="sc-none">
                  <p class="sc-verdict">{s(lang, 'noMatchSummary', { total: stays.length })}</p>
                  <p>{s(lang, 'noMatchMeans', { points: data.points.length })}</p>
                  <p>{s(lang, 'noMatchNotMeans')}</p>
                </div>
              )}
            </section>
          ) : null}
          <p class="sc-sr-only" role="status" aria-live="polite">{announce}</p>
        </>
      )}
    </div>
  );
}
