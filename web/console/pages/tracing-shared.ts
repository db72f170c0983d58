/**
 * What the contact-tracing page (pages/tracing.tsx, tracing-chain.tsx) shares: the shapes of the
 * answers of src/http/routes/tracing.schema.ts it reads, the purposes its requests state, and the
 * China-time dates the server computes exposure and quarantine dates in.
 */
import type { CallOptions } from '../api.ts';
import type { FieldView, IdentityView } from '../types.ts';

/** Discovery, candidates, confirm / dismiss and the chain: docs/TRACING.md "Access". */
export const TRACING: CallOptions = { purpose: 'contact_tracing' };
/** The case's quarantines and their daily follow-up entries. */
export const FOLLOW_UP: CallOptions = { purpose: 'quarantine_followup' };

export const DISMISS_REASONS = ['separate_space', 'protective_equipment', 'brief_passing', 'record_error', 'other'] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

/** Symptom codes of a follow-up entry (stored as given; the server accepts any short strings). */
export const SYMPTOMS = ['fever', 'cough', 'sore_throat', 'fatigue', 'loss_of_smell_taste', 'shortness_of_breath', 'diarrhoea'] as const;

export interface Overlap {
  placeId: string;
  placeName: string | null;
  from: string;
  to: string;
  minutes: number;
}

export interface Candidate {
  id: string;
  caseId: string;
  status: 'open' | 'confirmed' | 'dismissed';
  rank: number;
  subject: { id: string; jurisdictionCode: string; identity: IdentityView; livesElsewhere: boolean };
  totalOverlapMinutes: number;
  firstExposure: string;
  lastExposure: string;
  overlaps: Overlap[];
  contactId: string | null;
  dismissal: { reason: string; note: string | null; by: string; at: string } | null;
}

export interface DiscoveryResult {
  caseId: string;
  window: { start: string; end: string };
  bufferMinutes: number;
  candidates: Candidate[];
}

export interface Confirmed {
  candidate: Candidate;
  contactId: string;
  quarantineId: string;
  handoverId: string | null;
}

export interface QuarantineSummary {
  id: string;
  status: string;
  contactId: string;
  caseId: string;
  jurisdictionCode: string;
  subject: { id: string; name: FieldView };
  quarantineStart: string | null;
  quarantineEnd: string | null;
}

export interface FollowupEntry {
  id: string;
  createdAt: string;
  createdBy: string;
  date: string;
  symptoms: string[];
  temperatureC: number | null;
  note: string | null;
}

export interface QuarantineDetail {
  id: string;
  status: 'active' | 'ended' | 'converted' | string;
  contactId: string;
  caseId: string;
  jurisdictionCode: string;
  assignedTo: string | null;
  subject: { id: string; jurisdictionCode: string; identity: IdentityView };
  exposure: { exposureType: string; exposureDate: string; setting: string | null };
  quarantineStart: string | null;
  quarantineEnd: string | null;
  daysLeft: number;
  entries: FollowupEntry[];
  /** What happened, oldest first (`reason` as stated, or a code: an end reason, `to:<district>` for a hand-over). */
  events: Array<{ at: string; by: string; action: 'start' | 'extend' | 'end' | 'convert' | 'handover'; end?: string; days?: number; reason?: string; caseId?: string }>;
  riskStatus: { status: 'green' | 'yellow' | 'red'; reason: string; label: { en: string; zh: string }; computedAt: string } | null;
  handover: { id: string; status: string; toJurisdiction: string } | null;
  abilities: { addEntry: boolean; extend: boolean; end: boolean; convert: boolean; reveal: boolean };
}

export type NodeKind = 'suspected' | 'confirmed' | 'asymptomatic' | 'excluded' | 'close_contact' | 'secondary_contact';

export interface ChainNode {
  id: string;
  label: string | null;
  labelKind: 'masked_name' | 'case_number' | 'none';
  kind: NodeKind;
  caseIds: string[];
  caseNumbers: string[];
  reportDate: string | null;
  confirmationDate: string | null;
  generation: number;
}

export interface ChainEdge {
  id: string;
  kind: 'close_contact' | 'secondary_contact';
  from: string;
  to: string;
  exposureDate: string | null;
  exposureType: string | null;
}

export interface Chain {
  caseId: string;
  rootSubjectId: string;
  truncated: boolean;
  nodes: ChainNode[];
  edges: ChainEdge[];
}

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

// ---- follow-up actions, secondary contacts, hand-overs, risk areas --------------------------------

/** Requests that open or convert a case (converting a contact, the cluster export). */
export const INVESTIGATION: CallOptions = { purpose: 'case_investigation' };

/** `POST /api/quarantines/:id/end` reason codes (src/services/tracing/follow-up.service.ts END_REASONS). */
export const END_REASONS = ['completed', 'released_early', 'lost_to_follow_up', 'other'] as const;

export type Converted = QuarantineDetail & { newCaseId: string };

export interface SecondaryContact {
  id: string;
  contactId: string;
  createdAt: string;
  subject: { id: string; jurisdictionCode: string; identity: IdentityView };
  exposure: { exposureType: string; exposureDate: string; setting: string | null };
}

export interface Handover {
  id: string;
  status: 'pending' | 'accepted' | 'declined';
  fromJurisdiction: string;
  toJurisdiction: string;
  createdAt: string;
  contactId: string;
  quarantineId: string | null;
  subject: { id: string; jurisdictionCode: string; name: FieldView };
  decidedAt: string | null;
}

export interface RiskArea {
  id: string;
  level: 'high' | 'medium';
  kind: 'district' | 'venue';
  districtCode: string;
  placeId: string | null;
  placeName: string | null;
  windowStart: string;
  windowEnd: string;
  validFrom: string;
  validUntil: string;
  declaredBy: string;
  createdAt: string;
  revokedAt: string | null;
  active: boolean;
}

export interface DeclaredRiskArea {
  area: RiskArea;
  /** How many people the token search found with a stay in the area during its window (no one is named). */
  peopleFound: number;
}

export interface ClusterExport {
  format: 'epivault-cluster/1';
  truncated: boolean;
  nodes: Array<{ ref: string; kind: NodeKind; generation: number; reportDate: string | null; confirmationDate: string | null }>;
  edges: Array<{ from: string; to: string; kind: string; exposureDate: string | null; exposureType: string | null }>;
}
