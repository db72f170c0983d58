/** Building each release type's public content under the standard, and the signed artifact. Pure. */
export * from './artifact.ts';
export * from './daily-counts.ts';
export * from './exposure-points.ts';
export * from './research-extract.ts';
export * from './risk-areas.ts';
