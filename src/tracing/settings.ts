/**
 * Settings of contact tracing (docs/TRACING.md "Settings"), validated with zod. Defaults follow
 * China's COVID-19 prevention and control protocol (9th edition): a case is infectious from 4 days
 * before symptom onset (or before the first positive test); close contacts quarantine for 14 days
 * from their last exposure in this deployment's default (the protocol's later editions shortened it:
 * set `quarantine.days`).
 */
import { z } from 'zod';

export const TracingSettingsSchema = z.strictObject({
  discovery: z.strictObject({
    /** Days before onset (or the first positive report) that a case counts as infectious. */
    daysBeforeOnset: z.number().int().min(0).max(21).default(4),
    /** Minutes added before and after each of the case's stays: air lingers, clocks and records differ. */
    bufferMinutes: z.number().int().min(0).max(240).default(30),
    /** Shortest overlap that makes a candidate; 0 = any overlap of positive length. */
    minOverlapMinutes: z.number().int().min(0).max(24 * 60).default(0),
  }).prefault({}),
  quarantine: z.strictObject({
    /** Days of quarantine from the last exposure. */
    days: z.number().int().min(1).max(60).default(14),
    /** Longest extension at once, in days. */
    maxExtensionDays: z.number().int().min(1).max(60).default(14),
  }).prefault({}),
});

export type TracingSettings = z.infer<typeof TracingSettingsSchema>;

/** Settings with every default; `overrides` is validated (a ZodError names the bad field). */
export function tracingSettings(overrides: unknown = {}): TracingSettings {
  return TracingSettingsSchema.parse(overrides);
}

export const DEFAULT_TRACING_SETTINGS: TracingSettings = tracingSettings();

/**
 * The environment variable that sets each setting in a deployment (read by src/config/config.ts at
 * start; docs/OPERATIONS.md "Contact tracing").
 */
export const TRACING_SETTING_ENV = {
  'discovery.daysBeforeOnset': 'EPIVAULT_DISCOVERY_DAYS_BEFORE_ONSET',
  'discovery.bufferMinutes': 'EPIVAULT_DISCOVERY_BUFFER_MINUTES',
  'discovery.minOverlapMinutes': 'EPIVAULT_DISCOVERY_MIN_OVERLAP_MINUTES',
  'quarantine.days': 'EPIVAULT_QUARANTINE_DAYS',
  'quarantine.maxExtensionDays': 'EPIVAULT_QUARANTINE_MAX_EXTENSION_DAYS',
} as const;

export type TracingSettingPath = keyof typeof TRACING_SETTING_ENV;
