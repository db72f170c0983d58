/**
 * The self-check's itinerary: stays entered on the page or read from "a simple itinerary file"
 * (issue #7 item 4), parsed only in the browser. The format is documented in ./README.md:
 *
 * CSV (UTF-8, optional BOM, CRLF or LF), a header naming the columns `venue,date,from,to` (any
 * order, case-insensitive; Chinese headers 场所,日期,开始,结束 too), one stay per line:
 *
 *   venue,date,from,to
 *   pl-0001,2024-03-01,12:00,13:30
 *   "某某火锅店(朝阳店)",2024-03-02,18:15,20:00
 *
 * JSON: an array of `{ "venue": …, "date": …, "from": …, "to": … }` (or `{ "stays": [ … ] }`).
 *
 * `venue` is a venue id of the public registry or a venue's exact name; `date` is YYYY-MM-DD
 * (YYYY/M/D accepted); `from` and `to` are 24-hour HH:MM in China Standard Time (UTC+8, the time
 * of the published exposure windows), `to` later than `from` on the same day (`24:00` ends the
 * day; a stay past midnight is two lines). Blank lines and lines starting with `#` are skipped.
 *
 * Errors name the line (CSV) or the entry (JSON), the column and the problem — never the content,
 * so that a message shown or copied can carry nothing the citizen entered.
 */
import { CHINA_STANDARD_OFFSET_MINUTES, parseIsoDate } from '../../../src/domain/dates.ts';
import type { PublicVenue } from '../types.ts';

/** Largest itinerary file read (bytes; the text's length in characters is held to the same bound). */
export const MAX_FILE_BYTES = 1_000_000;
export const MAX_ENTRIES = 1000;

export type Field = 'venue' | 'date' | 'from' | 'to';
export const FIELDS: readonly Field[] = ['venue', 'date', 'from', 'to'];

export type ItineraryProblem =
  | 'empty' // no stay in the file
  | 'too_large' // the file exceeds MAX_FILE_BYTES
  | 'too_many' // more than MAX_ENTRIES stays
  | 'not_text' // not UTF-8 text (binary content)
  | 'header' // the header lacks a column (field says which)
  | 'header_duplicate' // a column is named twice
  | 'quote' // an unterminated or misplaced quote
  | 'columns' // fewer cells than the header
  | 'json' // not valid JSON
  | 'json_shape' // valid JSON but not an array of stays
  | 'missing' // the field is empty
  | 'venue_unknown' // neither an id nor an exact name of the registry
  | 'venue_ambiguous' // a name several venues share: use the id
  | 'date_invalid'
  | 'time_invalid'
  | 'time_order'; // `to` not later than `from`

/** Where a problem is: a CSV line, a JSON entry (both 1-based) or the whole file. */
export interface ItineraryError {
  readonly where: 'line' | 'entry' | 'file';
  readonly n: number;
  readonly field: Field | null;
  readonly problem: ItineraryProblem;
}

/** One stay: a registry venue and a time on one day; start and end in epoch ms, [start, end). */
export interface ItineraryEntry {
  readonly venueId: string;
  /** YYYY-MM-DD */
  readonly date: string;
  /** HH:MM */
  readonly from: string;
  /** HH:MM (24:00 for the end of the day) */
  readonly to: string;
  readonly start: number;
  readonly end: number;
}

export interface ParsedItinerary {
  readonly format: 'csv' | 'json';
  readonly entries: ItineraryEntry[];
  readonly errors: ItineraryError[];
}

/** Finds registry venues by id or by exact name (whitespace-trimmed, Unicode NFC, inner runs of space collapsed). */
export interface VenueLookup {
  resolve(text: string): { ok: true; venueId: string } | { ok: false; problem: 'missing' | 'venue_unknown' | 'venue_ambiguous' };
}

export const normalizeName = (s: string) => s.normalize('NFC').trim().replace(/\s+/gu, ' ');

export function venueLookup(venues: readonly Pick<PublicVenue, 'id' | 'name'>[]): VenueLookup {
  const ids = new Set(venues.map((v) => v.id));
  const byName = new Map<string, string[]>();
  for (const v of venues) {
    const k = normalizeName(v.name);
    const list = byName.get(k);
    if (list) list.push(v.id);
    else byName.set(k, [v.id]);
  }
  return {
    resolve(text) {
      const t = text.trim();
      if (t === '') return { ok: false, problem: 'missing' };
      if (ids.has(t)) return { ok: true, venueId: t };
      const hits = byName.get(normalizeName(t));
      if (!hits) return { ok: false, problem: 'venue_unknown' };
      if (hits.length > 1) return { ok: false, problem: 'venue_ambiguous' };
      return { ok: true, venueId: hits[0]! };
    },
  };
}

type FieldResult<T> = { ok: true; value: T } | { ok: false; field: Field; problem: ItineraryProblem };

/** YYYY-MM-DD, or YYYY/M/D normalized to it; a real calendar date. */
export function parseDate(text: string): FieldResult<string> {
  const t = text.trim();
  if (t === '') return { ok: false, field: 'date', problem: 'missing' };
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(t);
  if (!m) return { ok: false, field: 'date', problem: 'date_invalid' };
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return parseIsoDate(iso).ok ? { ok: true, value: iso } : { ok: false, field: 'date', problem: 'date_invalid' };
}

/** H:MM or HH:MM (24-hour; seconds allowed and dropped), minutes since midnight; 24:00 only as an end. */
export function parseTime(text: string, field: 'from' | 'to'): FieldResult<{ hhmm: string; minutes: number }> {
  const t = text.trim();
  if (t === '') return { ok: false, field, problem: 'missing' };
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (!m) return { ok: false, field, problem: 'time_invalid' };
  const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3] ?? '0')];
  const endOfDay = field === 'to' && h === 24 && min === 0 && sec === 0;
  if (!endOfDay && (h > 23 || min > 59 || sec > 59)) return { ok: false, field, problem: 'time_invalid' };
  return { ok: true, value: { hhmm: `${String(h).padStart(2, '0')}:${m[2]}`, minutes: h * 60 + min } };
}

/** Validates one stay (from the page's form or a file) and resolves its venue. */
export function makeEntry(lookup: VenueLookup, raw: Readonly<Record<Field, string>>): { ok: true; entry: ItineraryEntry } | { ok: false; errors: { field: Field; problem: ItineraryProblem }[] } {
  const errors: { field: Field; problem: ItineraryProblem }[] = [];
  const venue = lookup.resolve(raw.venue);
  if (!venue.ok) errors.push({ field: 'venue', problem: venue.problem });
  const date = parseDate(raw.date);
  if (!date.ok) errors.push({ field: date.field, problem: date.problem });
  const from = parseTime(raw.from, 'from');
  if (!from.ok) errors.push({ field: from.field, problem: from.problem });
  const to = parseTime(raw.to, 'to');
  if (!to.ok) errors.push({ field: to.field, problem: to.problem });
  if (from.ok && to.ok && to.value.minutes <= from.value.minutes) errors.push({ field: 'to', problem: 'time_order' });
  if (errors.length > 0 || !venue.ok || !date.ok || !from.ok || !to.ok) return { ok: false, errors };
  // Midnight of the date in China Standard Time, then the minutes of the day.
  const midnight = Date.parse(`${date.value}T00:00:00Z`) - CHINA_STANDARD_OFFSET_MINUTES * 60_000;
  const entry: ItineraryEntry = {
    venueId: venue.venueId, date: date.value, from: from.value.hhmm, to: to.value.hhmm,
    start: midnight + from.value.minutes * 60_000, end: midnight + to.value.minutes * 60_000,
  };
  return { ok: true, entry };
}

const HEADER_ALIASES: Record<string, Field> = {
  venue: 'venue', place: 'venue', 场所: 'venue', 地点: 'venue',
  date: 'date', 日期: 'date',
  from: 'from', start: 'from', 开始: 'from', 开始时间: 'from',
  to: 'to', end: 'to', 结束: 'to', 结束时间: 'to',
};

/** Splits one CSV line into cells (RFC 4180 quoting within the line); null on a quote error. */
export function splitCsvLine(line: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let j = i;
    while (line[j] === ' ' || line[j] === '\t') j++;
    let cell: string;
    let next: number;
    if (line[j] === '"') {
      cell = '';
      i = j + 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null; // unterminated
        cell += line.slice(i, q);
        if (line[q + 1] !== '"') {
          i = q + 1;
          break;
        }
        cell += '"';
        i = q + 2;
      }
      next = line.indexOf(',', i);
      // Only spaces may follow a closing quote before the comma.
      if ((next < 0 ? line.slice(i) : line.slice(i, next)).trim() !== '') return null;
    } else {
      next = line.indexOf(',', i);
      cell = next < 0 ? line.slice(i) : line.slice(i, next);
      if (cell.includes('"')) return null; // a quote inside an unquoted cell
    }
    cells.push(cell);
    if (next < 0) return cells;
    i = next + 1;
  }
}

function parseCsv(text: string, lookup: VenueLookup): ParsedItinerary {
  const entries: ItineraryEntry[] = [];
  const errors: ItineraryError[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  let columns: Map<Field, number> | null = null;
  for (let li = 0; li < lines.length; li++) {
    const n = li + 1;
    const line = lines[li]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const cells = splitCsvLine(line);
    if (!cells) {
      errors.push({ where: 'line', n, field: null, problem: 'quote' });
      if (!columns) return { format: 'csv', entries, errors };
      continue;
    }
    if (!columns) {
      columns = new Map();
      for (let c = 0; c < cells.length; c++) {
        const f = HEADER_ALIASES[cells[c]!.trim().toLowerCase()];
        if (!f) continue;
        if (columns.has(f)) errors.push({ where: 'line', n, field: f, problem: 'header_duplicate' });
        columns.set(f, c);
      }
      const missing = FIELDS.filter((f) => !columns!.has(f));
      for (const f of missing) errors.push({ where: 'line', n, field: f, problem: 'header' });
      if (errors.length > 0) return { format: 'csv', entries, errors };
      continue;
    }
    const width = Math.max(...columns.values()) + 1;
    if (cells.length < width) {
      errors.push({ where: 'line', n, field: null, problem: 'columns' });
      continue;
    }
    const cols = columns;
    const r = makeEntry(lookup, { venue: cells[cols.get('venue')!]!, date: cells[cols.get('date')!]!, from: cells[cols.get('from')!]!, to: cells[cols.get('to')!]! });
    if (r.ok) {
      if (entries.length >= MAX_ENTRIES) return { format: 'csv', entries, errors: [...errors, { where: 'file', n: 0, field: null, problem: 'too_many' }] };
      entries.push(r.entry);
    } else for (const e of r.errors) errors.push({ where: 'line', n, ...e });
  }
  if (!columns) errors.push({ where: 'file', n: 0, field: null, problem: 'empty' });
  else if (entries.length === 0 && errors.length === 0) errors.push({ where: 'file', n: 0, field: null, problem: 'empty' });
  return { format: 'csv', entries, errors };
}

function parseJson(text: string, lookup: VenueLookup): ParsedItinerary {
  const entries: ItineraryEntry[] = [];
  const errors: ItineraryError[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { format: 'json', entries, errors: [{ where: 'file', n: 0, field: null, problem: 'json' }] };
  }
  const list = Array.isArray(data) ? data : data !== null && typeof data === 'object' && Array.isArray((data as { stays?: unknown }).stays) ? (data as { stays: unknown[] }).stays : null;
  if (!list) return { format: 'json', entries, errors: [{ where: 'file', n: 0, field: null, problem: 'json_shape' }] };
  if (list.length === 0) return { format: 'json', entries, errors: [{ where: 'file', n: 0, field: null, problem: 'empty' }] };
  if (list.length > MAX_ENTRIES) return { format: 'json', entries, errors: [{ where: 'file', n: 0, field: null, problem: 'too_many' }] };
  list.forEach((item, i) => {
    const n = i + 1;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      errors.push({ where: 'entry', n, field: null, problem: 'json_shape' });
      return;
    }
    const o = item as Record<string, unknown>;
    const raw = {} as Record<Field, string>;
    let shapeOk = true;
    for (const f of FIELDS) {
      const v = o[f];
      if (v === undefined || v === null) raw[f] = '';
      else if (typeof v === 'string') raw[f] = v;
      else {
        errors.push({ where: 'entry', n, field: f, problem: 'json_shape' });
        shapeOk = false;
      }
    }
    if (!shapeOk) return;
    const r = makeEntry(lookup, raw);
    if (r.ok) entries.push(r.entry);
    else for (const e of r.errors) errors.push({ where: 'entry', n, ...e });
  });
  return { format: 'json', entries, errors };
}

/** Parses an itinerary file's text (CSV or JSON, told apart by the first character). */
export function parseItinerary(text: string, lookup: VenueLookup): ParsedItinerary {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const first = body.trimStart()[0];
  const format = first === '[' || first === '{' ? 'json' : 'csv';
  if (body.length > MAX_FILE_BYTES) return { format, entries: [], errors: [{ where: 'file', n: 0, field: null, problem: 'too_large' }] };
  // A NUL or the replacement character of a failed UTF-8 decoding: not a text file in UTF-8.
  if (body.includes('\u0000') || body.includes('\uFFFD')) return { format, entries: [], errors: [{ where: 'file', n: 0, field: null, problem: 'not_text' }] };
  if (body.trim() === '') return { format, entries: [], errors: [{ where: 'file', n: 0, field: null, problem: 'empty' }] };
  return format === 'json' ? parseJson(body, lookup) : parseCsv(body, lookup);
}
