/**
 * What the public API sends besides signed releases (src/services/public-data.service.ts; read by
 * web/public). Public data only.
 */

/** One venue of the public venue registry (no homes, no workplaces). */
export interface PublicVenue {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  /** GB/T 2260 district code (6 digits). */
  readonly district: string;
  readonly category: string;
}
