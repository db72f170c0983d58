import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Options as CsvOptions } from 'csv-parse';
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from '../../domain/line-list.ts';
import type { LineListColumn, LineListRow } from '../../domain/line-list.ts';
import { ImportError } from './errors.ts';

/**
 * Reading a line-list CSV file: encoding detection, streaming decode, CSV parsing and the header
 * check. Nothing here quotes a value from a data row: errors name the file, a column of the header
 * or a line number (docs/IMPORT.md).
 */
export type EncodingChoice = 'auto' | 'utf-8' | 'gb18030';
export type Encoding = 'utf-8' | 'gb18030';

/** A problem with one row; `field` is a column name, or `(row)` for the row as a whole. */
export interface ReportProblem {
  field: string;
  reason: string;
}

/** One data record of the file: its record number (the header is record 1) and its fields by column. */
export interface SourceRow {
  record: number;
  row: LineListRow;
  /** Set when the record cannot be read as a row at all (wrong number of fields). */
  problems?: ReportProblem[];
}

export const ROW_FIELD = '(row)';

const KNOWN_COLUMNS: ReadonlySet<string> = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
const CHUNK_BYTES = 256 * 1024;
/** Reads of the import pass are smaller and barely buffered, so that progress by bytes read stays close to the rows written. */
const IMPORT_CHUNK_BYTES = 64 * 1024;
/** A record larger than this is a runaway quote, not a line-list row. */
const MAX_RECORD_BYTES = 1024 * 1024;

const CSV_OPTIONS: CsvOptions = {
  delimiter: ',',
  quote: '"',
  escape: '"',
  relax_column_count: true,
  skip_empty_lines: false,
  max_record_size: MAX_RECORD_BYTES,
};

/** Why a CSV parse stopped, in our own words (csv-parse messages quote the offending value). */
const CSV_REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed before the end of the file',
  INVALID_OPENING_QUOTE: 'a quote appears inside a field that does not start with a quote (quote the whole field and double the inner quote)',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by something other than a comma or the end of the line',
  CSV_MAX_RECORD_SIZE: `a record is longer than ${MAX_RECORD_BYTES / 1024} KiB (probably an unclosed quote)`,
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a closing quote is followed by other characters',
};

class DecodeError extends Error {
  override name = 'DecodeError';
}

/** Size of the file in bytes; a clear ImportError if it is missing, not a file, or unreadable. */
export function inputFileSize(file: string): number {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ImportError(`input file not found: ${file}`);
    if (code === 'EACCES') throw new ImportError(`input file is not readable (permission denied): ${file}`);
    throw new ImportError(`input file cannot be opened (${code ?? 'error'}): ${file}`);
  }
  if (!st.isFile()) throw new ImportError(`input is not a regular file: ${file}`);
  return st.size;
}

async function readHead(file: string, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  for await (const chunk of createReadStream(file, { start: 0, end: n - 1 })) {
    chunks.push(chunk as Buffer);
    got += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, got);
}

function openErrorMessage(e: unknown, file: string): ImportError {
  const code = (e as NodeJS.ErrnoException).code;
  return new ImportError(`input file cannot be read (${code ?? 'error'}): ${file}`);
}

/** Decodes the whole file with a strict decoder; true if every byte sequence is valid. */
async function decodesCleanly(file: string, encoding: Encoding, onBytes?: (n: number) => void): Promise<boolean> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
      decoder.decode(chunk as Buffer, { stream: true });
      onBytes?.((chunk as Buffer).length);
    }
    decoder.decode();
    return true;
  } catch (e) {
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return false;
    throw openErrorMessage(e, file);
  }
}

/**
 * Picks the encoding: a UTF-8 byte-order mark means UTF-8; in `auto`, a file that decodes as
 * strict UTF-8 is UTF-8 and anything else is GB18030. The chosen encoding must then decode the
 * whole file, or the import stops before anything is written. UTF-16 is refused.
 */
export async function resolveEncoding(file: string, choice: EncodingChoice, onBytes?: (n: number) => void): Promise<Encoding> {
  let head: Buffer;
  try {
    head = await readHead(file, 4);
  } catch (e) {
    throw openErrorMessage(e, file);
  }
  if (head.length === 0) throw new ImportError(`input file is empty (a header row is required): ${file}`);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new ImportError('the file is UTF-16 text, which is not supported: save it as UTF-8 (or GB18030) CSV');
  }
  const utf8Bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  if (utf8Bom && choice === 'gb18030') throw new ImportError('the file starts with a UTF-8 byte-order mark but --encoding gb18030 was given');
  if (choice === 'utf-8' || utf8Bom) {
    if (!(await decodesCleanly(file, 'utf-8', onBytes))) throw new ImportError('the file is not valid UTF-8 text (try --encoding gb18030 or auto)');
    return 'utf-8';
  }
  if (choice === 'gb18030') {
    if (!(await decodesCleanly(file, 'gb18030', onBytes))) throw new ImportError('the file is not valid GB18030 text');
    return 'gb18030';
  }
  if (await decodesCleanly(file, 'utf-8', onBytes)) return 'utf-8';
  if (await decodesCleanly(file, 'gb18030')) return 'gb18030';
  throw new ImportError('the file is neither valid UTF-8 nor valid GB18030 text');
}

/** A header name for a message: printable, at most 60 characters. */
function shown(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return JSON.stringify([...clean].length > 60 ? `${[...clean].slice(0, 60).join('')}…` : clean);
}

/**
 * Checks the header row and returns the column of each field. Every required column must be
 * present; an unknown, unnamed or repeated column is an error too, because an unknown column may
 * carry personal data that the import would silently drop. A first row that names none of the
 * known columns is not quoted back (it is probably a data row, i.e. the header is missing).
 */
export function checkHeader(fields: readonly string[]): LineListColumn[] {
  const names = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
  if (!names.some((n) => KNOWN_COLUMNS.has(n))) {
    throw new ImportError(`bad header: the first row names none of the line-list columns (${REQUIRED_COLUMNS.join(',')}); the file must start with a header row (docs/IMPORT.md)`);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (n.length === 0) problems.push(`column ${i + 1} has no name`);
    else if (!KNOWN_COLUMNS.has(n)) problems.push(`unknown column ${shown(n)} (column ${i + 1}): remove or rename it, since its data would otherwise be dropped`);
    else if (seen.has(n)) problems.push(`column ${shown(n)} appears more than once`);
    seen.add(n);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length > 0) problems.unshift(`missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (problems.length > 0) throw new ImportError(`bad header: ${problems.join('; ')}`);
  return names as LineListColumn[];
}

/** Decoded text chunks of the file; a decoding failure becomes an ImportError. */
async function* decodedChunks(file: string, encoding: Encoding, onBytes?: (n: number) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let text: string;
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: IMPORT_CHUNK_BYTES })) {
      onBytes?.((chunk as Buffer).length);
      try {
        text = decoder.decode(chunk as Buffer, { stream: true });
      } catch {
        throw new DecodeError();
      }
      if (text.length > 0) yield text;
    }
    try {
      text = decoder.decode();
    } catch {
      throw new DecodeError();
    }
    if (text.length > 0) yield text;
  } catch (e) {
    if (e instanceof DecodeError) throw new ImportError(`the file is not valid ${encoding === 'utf-8' ? 'UTF-8' : 'GB18030'} text`);
    throw openErrorMessage(e, file);
  }
}

/** Every CSV record of the file as an array of fields (header included), in order. */
async function* csvRecords(file: string, encoding: Encoding, onBytes?: (n: number) => void): AsyncGenerator<string[]> {
  const source = Readable.from(decodedChunks(file, encoding, onBytes), { objectMode: true, highWaterMark: 1 });
  const parser = parse(CSV_OPTIONS);
  let sourceError: unknown = null;
  source.on('error', (e) => {
    sourceError = e;
    parser.destroy(e);
  });
  source.pipe(parser);
  try {
    for await (const record of parser) yield record as string[];
  } catch (e) {
    if (sourceError !== null) throw sourceError;
    if (e instanceof ImportError) throw e;
    const err = e as { code?: string; lines?: number };
    if (typeof err.code === 'string') {
      const reason = CSV_REASONS[err.code] ?? `it cannot be parsed (${err.code})`;
      throw new ImportError(`the file is not valid CSV${typeof err.lines === 'number' ? ` at line ${err.lines}` : ''}: ${reason}`);
    }
    throw new ImportError('the file cannot be read as CSV');
  } finally {
    source.destroy();
    parser.destroy();
  }
}

const isBlank = (fields: readonly string[]) => fields.every((f) => f.trim().length === 0);

/**
 * The data rows of a line-list file, after its header has been checked. Record numbers count every
 * CSV record, the header being record 1 (a spreadsheet's row number); blank records (empty lines,
 * or lines of empty fields) keep their number but are not yielded. A record with a different
 * number of fields from the header is yielded with a row-level problem.
 */
export async function* lineListRows(file: string, encoding: Encoding, onBytes?: (n: number) => void): AsyncGenerator<SourceRow> {
  let columns: LineListColumn[] | null = null;
  let record = 0;
  for await (const fields of csvRecords(file, encoding, onBytes)) {
    record++;
    if (columns === null) {
      columns = checkHeader(fields);
      continue;
    }
    if (isBlank(fields)) continue;
    if (fields.length !== columns.length) {
      yield { record, row: {}, problems: [{ field: ROW_FIELD, reason: `has ${fields.length} fields but the header has ${columns.length}` }] };
      continue;
    }
    const row: LineListRow = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = fields[i];
    yield { record, row };
  }
  if (columns === null) throw new ImportError('the file has no header row');
}

/**
 * Reads the whole file once without importing: decodes it, parses the CSV and checks the header, so
 * that a malformed file is refused before anything is written. Returns the number of data rows.
 */
export async function checkFile(file: string, encoding: Encoding, onBytes?: (n: number) => void): Promise<number> {
  let rows = 0;
  for await (const _ of lineListRows(file, encoding, onBytes)) rows++;
  return rows;
}
