/**
 * What the contact-tracing page (pages/tracing.tsx, tracing-chain.tsx) shares: the purposes its
 * requests state, and the China-time dates the server computes exposure and quarantine dates in.
 * The shapes of the answers it reads are src/domain/views/tracing.ts (the services' own types).
 */
import type { NodeKind } from '../../../src/domain/views/tracing.ts';
import type { CallOptions } from '../api.ts';

/** Discovery, candidates, confirm / dismiss and the chain: docs/TRACING.md "Access". */
export const TRACING: CallOptions = { purpose: 'contact_tracing' };
/** The case's quarantines and their daily follow-up entries. */
export const FOLLOW_UP: CallOptions = { purpose: 'quarantine_followup' };

/** Symptom codes of a follow-up entry (stored as given; the server accepts any short strings). */
export const SYMPTOMS = ['fever', 'cough', 'sore_throat', 'fatigue', 'loss_of_smell_taste', 'shortness_of_breath', 'diarrhoea'] as const;

export const NODE_KINDS: readonly NodeKind[] = ['confirmed', 'suspected', 'asymptomatic', 'excluded', 'close_contact', 'secondary_contact'];

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** The China (UTC+8) calendar date of an instant: the server's exposure and quarantine dates are China dates. */
export function chinaDate(iso: string | number | Date): string {
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return String(iso);
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** `HH:MM` of an instant in the viewer's time zone (the date is shown beside it). */
export function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** Requests that open or convert a case (converting a contact, the cluster export). */
export const INVESTIGATION: CallOptions = { purpose: 'case_investigation' };
