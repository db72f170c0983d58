/**
 * The contract between the public site's shell (web/public: dashboard, exposures, data loading,
 * signature checks) and its self-check (web/public/selfcheck). Everything here is public data:
 * published, signed releases and the public venue registry, downloaded whole when a page loads.
 */
import type { PublicVenue } from '../../src/domain/views/public.ts';

export type Lang = 'zh' | 'en';

/** One published exposure point (an item of a verified `exposure_points` release). */
export interface ExposurePoint {
  readonly releaseId: string;
  readonly venueId: string;
  readonly venueName: string;
  readonly venueAddress: string;
  readonly venueCategory: string;
  /** GB/T 2260 district code (6 digits). */
  readonly district: string;
  /** ISO 8601 instants; the window is [windowStart, windowEnd). */
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly expiresAt: string;
  /** What to do, in Chinese and English (one string as published). */
  readonly advice: string;
}

/** One venue of the public venue registry, as `GET /public/venues` sends it (declared with the server's views). */
export type { PublicVenue };

/** What the self-check needs; the shell loads it with the page, before anything is entered. */
export interface SelfCheckData {
  /** Points of releases whose signature verified only. */
  readonly points: readonly ExposurePoint[];
  readonly venues: readonly PublicVenue[];
}

/** Props of web/public/selfcheck/page.tsx `SelfCheckPage`, rendered by the shell at /selfcheck. */
export interface SelfCheckPageProps {
  readonly lang: Lang;
  /** null while loading. */
  readonly data: SelfCheckData | null;
  /** District names by code, in the page's language (for display). */
  readonly districtName: (code: string) => string;
}

/** One published risk area (an item of a verified `risk_areas` release). */
export interface RiskArea {
  readonly releaseId: string;
  readonly level: 'high' | 'medium';
  readonly kind: 'district' | 'venue';
  readonly district: string;
  readonly venueId: string | null;
  readonly venueName: string | null;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly validUntil: string;
  readonly advice: string;
}

/** The differentially private daily counts of the verified `daily_counts` releases, merged (newest release wins per day). */
export interface DailyCounts {
  readonly epsilon: string;
  readonly scale: string;
  /** Every date (YYYY-MM-DD) with a number, ascending. */
  readonly days: readonly string[];
  /** The code of the whole area's row (fewer than 6 digits, e.g. `11`), null when the releases had none. */
  readonly totalCode: string | null;
  /** District codes (6 digits) with numbers, ascending. */
  readonly districts: readonly string[];
  /** code → date → count. */
  readonly series: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** A release as the page checked it: verified against the built-in key or not. */
export interface ReleaseCheck {
  readonly id: string;
  readonly type: string;
  readonly verified: boolean;
  /** From the signed artifact (only meaningful when verified). */
  readonly publishedAt: string;
  readonly entries: number;
}
