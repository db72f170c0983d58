import { closeSync, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { ReportProblem } from './csv-source.ts';
import { ImportError } from './errors.ts';

/**
 * The rejection report: a CSV file (mode 0600) with one line `row,field,reason` per problem. It
 * never holds a value from the input: the row number, the column name and our own reason only.
 */
export class RejectionReport {
  #fd: number;
  #buffer: string[] = [];
  #bufferedChars = 0;
  #lines = 0;

  private constructor(readonly path: string, fd: number) {
    this.#fd = fd;
    this.#write('row,field,reason\n');
  }

  /** Opens the report at `path` (replacing an older file there) with mode 0600. */
  static open(path: string): RejectionReport {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    let fd: number;
    try {
      fd = openSync(path, 'w', 0o600);
      fchmodSync(fd, 0o600);
    } catch (e) {
      throw new ImportError(`cannot write the rejection report (${(e as NodeJS.ErrnoException).code ?? 'error'}): ${path}`);
    }
    return new RejectionReport(path, fd);
  }

  /**
   * Opens a new report `<dir>/<input basename>.<yyyymmddThhmmss>.rejections.csv` (UTC time), adding
   * `-2`, `-3`, … before `.rejections.csv` if a report of that second already exists.
   */
  static openIn(dir: string, inputFile: string, at = new Date()): RejectionReport {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stem = basename(inputFile, extname(inputFile)) || 'import';
    const stamp = at.toISOString().replace(/[-:]/g, '').slice(0, 15);
    for (let n = 1; ; n++) {
      const path = join(dir, `${stem}.${stamp}${n > 1 ? `-${n}` : ''}.rejections.csv`);
      try {
        return new RejectionReport(path, openSync(path, 'wx', 0o600));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' && n < 1000) continue;
        throw new ImportError(`cannot write the rejection report (${code ?? 'error'}): ${path}`);
      }
    }
  }

  /** Problem lines written so far. */
  get lines(): number {
    return this.#lines;
  }

  add(record: number, problems: readonly ReportProblem[]): void {
    for (const p of problems) {
      this.#write(`${record},${csvField(p.field)},${csvField(p.reason)}\n`);
      this.#lines++;
    }
  }

  #write(text: string): void {
    this.#buffer.push(text);
    this.#bufferedChars += text.length;
    if (this.#bufferedChars >= 64 * 1024) this.flush();
  }

  flush(): void {
    if (this.#buffer.length === 0) return;
    writeSync(this.#fd, this.#buffer.join(''));
    this.#buffer = [];
    this.#bufferedChars = 0;
  }

  close(): void {
    if (this.#fd < 0) return;
    try {
      this.flush();
    } finally {
      closeSync(this.#fd);
      this.#fd = -1;
    }
  }
}

/** RFC 4180 quoting; a leading = + - @ is defused so that spreadsheets do not run it as a formula. */
function csvField(value: string): string {
  const v = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}
