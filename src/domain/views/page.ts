/**
 * The staff API's answers ("views"), declared once for the services that build them and the
 * console that reads them (docs/STAFF-API.md; the zod schemas in src/http/routes check them on the
 * way out). Types only: the console bundles nothing from here.
 */

/** A page of a list, and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
