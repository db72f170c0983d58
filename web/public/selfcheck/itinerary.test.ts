import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FIELDS, makeEntry, MAX_ENTRIES, parseItinerary, splitCsvLine, venueLookup } from './itinerary.ts';
import { describeError } from './strings.ts';
import type { ItineraryError } from './itinerary.ts';

const VENUES = [
  { id: 'pl-hotpot', name: '老北京火锅(朝阳店)' },
  { id: 'pl-market', name: 'Sanyuanli  Market' },
  { id: 'pl-cafe-1', name: '街角咖啡' },
  { id: 'pl-cafe-2', name: '街角咖啡' },
  { id: 'pl-comma', name: 'Bar, Grill & "Co"' },
];
const lookup = venueLookup(VENUES);
/** Instant of a China Standard Time wall-clock time. */
const cst = (date: string, hhmm: string) => Date.parse(`${date}T${hhmm}:00+08:00`);
const errs = (e: ItineraryError[]) => e.map((x) => `${x.where}${x.n}:${x.field ?? '-'}:${x.problem}`);

describe('itinerary file: CSV', () => {
  it('reads stays by venue id or exact name, in China Standard Time, with BOM, CRLF, quotes, comments and blank lines', () => {
    const text = '\uFEFFvenue,date,from,to\r\n# my week\r\npl-hotpot,2024-03-01,12:00,13:30\r\n\r\n"老北京火锅(朝阳店)",2024/3/2,9:05,24:00\r\n  sanyuanli market ,2024-03-03,08:00,08:30\r\n"Bar, Grill & ""Co""",2024-03-04,21:00,23:59\r\n';
    const r = parseItinerary(text, lookup);
    assert.equal(r.format, 'csv');
    // "sanyuanli market": names are exact (case matters), only spaces are normalized.
    assert.deepEqual(errs(r.errors), ['line6:venue:venue_unknown']);
    assert.deepEqual(r.entries.map((e) => [e.venueId, e.date, e.from, e.to]), [
      ['pl-hotpot', '2024-03-01', '12:00', '13:30'],
      ['pl-hotpot', '2024-03-02', '09:05', '24:00'],
      ['pl-comma', '2024-03-04', '21:00', '23:59'],
    ]);
    assert.equal(r.entries[0]!.start, cst('2024-03-01', '12:00'));
    assert.equal(r.entries[0]!.end, cst('2024-03-01', '13:30'));
    assert.equal(r.entries[1]!.end, cst('2024-03-03', '00:00'), '24:00 is the next midnight');
    assert.ok(parseItinerary('venue,date,from,to\nSanyuanli Market,2024-03-03,08:00,08:30', lookup).entries.length === 1, 'inner spaces collapse');
  });

  it('takes the columns in any order and Chinese headers, ignoring extra columns', () => {
    const r = parseItinerary('结束,场所,备注,日期,开始\n13:00,pl-hotpot,lunch,2024-03-01,12:00\n', lookup);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.entries.map((e) => [e.venueId, e.start, e.end]), [['pl-hotpot', cst('2024-03-01', '12:00'), cst('2024-03-01', '13:00')]]);
  });

  it('names the line, the column and the problem of every bad line, and keeps the good ones', () => {
    const text = [
      'venue,date,from,to', // 1
      'pl-nowhere,2024-03-01,12:00,13:00', // 2 unknown venue
      '街角咖啡,2024-03-01,12:00,13:00', // 3 ambiguous name
      'pl-hotpot,2024-02-30,12:00,13:00', // 4 no such date
      'pl-hotpot,01/03/2024,12:00,13:00', // 5 not a date format
      'pl-hotpot,2024-03-01,12:60,13:00', // 6 bad time
      'pl-hotpot,2024-03-01,14:00,13:00', // 7 ends before it starts
      'pl-hotpot,2024-03-01,13:00,13:00', // 8 empty stay
      'pl-hotpot,2024-03-01', // 9 too few cells
      ',2024-03-01,,13:00', // 10 missing venue and from
      'pl-hotpot,"2024-03-01,12:00,13:00', // 11 unterminated quote
      'pl-"hotpot",2024-03-01,12:00,13:00', // 12 quote inside a cell
      'pl-hotpot,2024-03-01,24:00,24:00', // 13 24:00 is only an end
      'pl-cafe-1,2024-03-01,12:00,13:00', // 14 fine: the id of a shared name
    ].join('\n');
    const r = parseItinerary(text, lookup);
    assert.deepEqual(errs(r.errors), [
      'line2:venue:venue_unknown', 'line3:venue:venue_ambiguous', 'line4:date:date_invalid', 'line5:date:date_invalid',
      'line6:from:time_invalid', 'line7:to:time_order', 'line8:to:time_order', 'line9:-:columns',
      'line10:venue:missing', 'line10:from:missing', 'line11:-:quote', 'line12:-:quote', 'line13:from:time_invalid',
    ]);
    assert.deepEqual(r.entries.map((e) => e.venueId), ['pl-cafe-1']);
  });

  it('a missing or duplicated header column, an empty file and a file of only a header are errors of the file', () => {
    assert.deepEqual(errs(parseItinerary('pl-hotpot,2024-03-01,12:00,13:00\n', lookup).errors), ['line1:venue:header', 'line1:date:header', 'line1:from:header', 'line1:to:header']);
    assert.deepEqual(errs(parseItinerary('venue,date,from,to,end\n', lookup).errors), ['line1:to:header_duplicate']);
    assert.deepEqual(errs(parseItinerary('venue,date,from\n', lookup).errors), ['line1:to:header']);
    assert.deepEqual(errs(parseItinerary('', lookup).errors), ['file0:-:empty']);
    assert.deepEqual(errs(parseItinerary(' \n\n# nothing\n', lookup).errors), ['file0:-:empty']);
    assert.deepEqual(errs(parseItinerary('venue,date,from,to\n', lookup).errors), ['file0:-:empty']);
  });

  it('refuses binary content, oversized files and too many stays', () => {
    assert.deepEqual(errs(parseItinerary('venue,date,from,to\n\u0000\u0001PK', lookup).errors), ['file0:-:not_text']);
    assert.deepEqual(errs(parseItinerary('venue,date,from,to\n\uFFFD\uFFFD', lookup).errors), ['file0:-:not_text']);
    assert.deepEqual(errs(parseItinerary(`venue,date,from,to\n${'#'.repeat(1_000_001)}`, lookup).errors), ['file0:-:too_large']);
    const many = ['venue,date,from,to', ...Array.from({ length: MAX_ENTRIES + 1 }, () => 'pl-hotpot,2024-03-01,12:00,13:00')].join('\n');
    const r = parseItinerary(many, lookup);
    assert.equal(r.entries.length, MAX_ENTRIES);
    assert.deepEqual(errs(r.errors), ['file0:-:too_many']);
  });

  it('splits CSV lines as RFC 4180 within a line (property: quoting any cells round-trips)', () => {
    assert.deepEqual(splitCsvLine('a,"b,c", "d""e" ,'), ['a', 'b,c', 'd"e', '']);
    fc.assert(fc.property(fc.array(fc.string({ unit: 'grapheme' }).filter((s) => !/[\r\n]/.test(s)), { minLength: 1, maxLength: 6 }), (cells) => {
      const line = cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',');
      assert.deepEqual(splitCsvLine(line), cells);
    }));
  });
});

describe('itinerary file: JSON', () => {
  it('reads an array of stays or { stays: [...] }', () => {
    const stays = [{ venue: 'pl-market', date: '2024-03-05', from: '07:30', to: '08:00' }, { venue: '老北京火锅(朝阳店)', date: '2024-03-05', from: '18:00', to: '19:00', note: 'ignored' }];
    for (const text of [JSON.stringify(stays), `\uFEFF ${JSON.stringify({ stays })}`]) {
      const r = parseItinerary(text, lookup);
      assert.equal(r.format, 'json');
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.entries.map((e) => [e.venueId, e.start, e.end]), [
        ['pl-market', cst('2024-03-05', '07:30'), cst('2024-03-05', '08:00')],
        ['pl-hotpot', cst('2024-03-05', '18:00'), cst('2024-03-05', '19:00')],
      ]);
    }
  });

  it('names the entry, the field and the problem', () => {
    const r = parseItinerary(JSON.stringify([{ venue: 'pl-market', date: '2024-03-05', from: 7, to: '08:00' }, 'pl-market', { venue: 'pl-market', date: '2024-13-01', to: '08:00' }, { venue: 'pl-market', date: '2024-03-05', from: '07:00', to: '08:00' }]), lookup);
    assert.deepEqual(errs(r.errors), ['entry1:from:json_shape', 'entry2:-:json_shape', 'entry3:date:date_invalid', 'entry3:from:missing']);
    assert.equal(r.entries.length, 1);
    assert.deepEqual(errs(parseItinerary('[{"venue": "pl-market",', lookup).errors), ['file0:-:json']);
    assert.deepEqual(errs(parseItinerary('{"places": []}', lookup).errors), ['file0:-:json_shape']);
    assert.deepEqual(errs(parseItinerary('[]', lookup).errors), ['file0:-:empty']);
  });
});

describe('itinerary errors carry no content', () => {
  it('no error, nor its message in either language, holds any part of the input (property over random lines)', () => {
    // Every cell starts with a canary: no message may contain it.
    const cell = fc.oneof(fc.string(), fc.constantFrom('2024-03-01', '12:00', '24:00', 'pl-hotpot')).map((c) => `Qz7${c}`);
    fc.assert(fc.property(fc.array(fc.tuple(cell, cell, cell, cell), { minLength: 1, maxLength: 8 }), fc.boolean(), (rows, json) => {
      const text = json
        ? JSON.stringify(rows.map(([venue, date, from, to]) => ({ venue, date, from, to })))
        : ['venue,date,from,to', ...rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""').replace(/[\r\n]/g, ' ')}"`).join(','))].join('\n');
      const { errors } = parseItinerary(text, lookup);
      assert.ok(errors.length > 0, 'every row has a canary venue: unknown');
      for (const e of errors) {
        assert.deepEqual(Object.keys(e).sort(), ['field', 'n', 'problem', 'where']);
        assert.ok(e.field === null || FIELDS.includes(e.field));
        for (const lang of ['en', 'zh'] as const) assert.ok(!describeError(lang, e).includes('Qz7'), describeError(lang, e));
      }
    }));
  });

  it('messages name the position, the column and the problem in both languages', () => {
    const e = { where: 'line', n: 4, field: 'date', problem: 'date_invalid' } as const;
    assert.equal(describeError('en', e), 'Line 4, date: is not a date (YYYY-MM-DD)');
    assert.equal(describeError('zh', e), '第 4 行，日期：不是日期（YYYY-MM-DD）');
    assert.equal(describeError('en', { where: 'line', n: 1, field: 'to', problem: 'header' }), 'Line 1: the header lacks the column "to" (the first line must name venue,date,from,to)');
    assert.equal(describeError('en', { where: 'file', n: 0, field: null, problem: 'too_large' }), 'The file is larger than 1 MB');
    assert.equal(describeError('zh', { where: 'entry', n: 2, field: null, problem: 'json_shape' }), '第 2 条不是含有文本字段 venue、date、from、to 的到访列表');
  });

  it('makeEntry (the page form) reports every bad field at once', () => {
    const r = makeEntry(lookup, { venue: '', date: 'tomorrow', from: '25:00', to: '' });
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.errors, [{ field: 'venue', problem: 'missing' }, { field: 'date', problem: 'date_invalid' }, { field: 'from', problem: 'time_invalid' }, { field: 'to', problem: 'missing' }]);
  });
});
