/** The disclosure standard: catalog of releasable fields, the standard file, the content gate. */
export * from './catalog.ts';
export * from './standard.ts';
