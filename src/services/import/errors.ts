/**
 * An import that cannot start or cannot go on: missing file, undecodable bytes, bad header,
 * malformed CSV. The message names the file, a column name or a line number, never a value from a
 * data row. The CLI prints it as one line (src/cli/main.ts knows the name `ImportError`).
 */
export class ImportError extends Error {
  override name = 'ImportError';
}
