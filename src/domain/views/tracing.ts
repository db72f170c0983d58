/**
 * Views of contact tracing (docs/TRACING.md "API"), as the staff API sends them: discovery
 * candidates, quarantines and their follow-up, secondary contacts, hand-overs, chains and risk areas
 * (src/services/tracing/*.service.ts build them; web/console/pages/tracing*.tsx read them). Also the
 * codes the requests name (dismissal and end reasons, quarantine statuses).
 */
import type { FieldView, IdentityView } from '../masking.ts';
import type { Classification, ExposureType } from '../model.ts';

/** Why a tracer dismisses a discovery candidate (`POST /api/candidates/:id/dismiss`). */
export const DISMISS_REASONS = ['separate_space', 'protective_equipment', 'brief_passing', 'record_error', 'other'] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

/** Why a quarantine ends (`POST /api/quarantines/:id/end`). */
export const END_REASONS = ['completed', 'released_early', 'lost_to_follow_up', 'other'] as const;
export type EndReason = (typeof END_REASONS)[number];

export const QUARANTINE_STATUSES = ['active', 'ended', 'converted'] as const;
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];

// ---- discovery -----------------------------------------------------------------------------------

export interface CandidateView {
  id: string;
  caseId: string;
  status: 'open' | 'confirmed' | 'dismissed';
  /** 1 = most overlap. */
  rank: number;
  subject: { id: string; jurisdictionCode: string; identity: IdentityView; livesElsewhere: boolean };
  totalOverlapMinutes: number;
  firstExposure: string;
  lastExposure: string;
  overlaps: { placeId: string; placeName: string | null; from: string; to: string; minutes: number }[];
  contactId: string | null;
  dismissal: { reason: string; note: string | null; by: string; at: string } | null;
}

export interface DiscoveryResult {
  caseId: string;
  window: { start: string; end: string };
  bufferMinutes: number;
  candidates: CandidateView[];
}

export interface Confirmed {
  candidate: CandidateView;
  contactId: string;
  quarantineId: string;
  handoverId: string | null;
}

// ---- quarantines and follow-up -------------------------------------------------------------------

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

/** One day's follow-up entry of a quarantine. */
export interface FollowupView {
  id: string;
  createdAt: string;
  createdBy: string;
  date: string;
  symptoms: string[];
  temperatureC: number | null;
  note: string | null;
}

/**
 * What happened to a quarantine (`reason` as stated, or a code: an end reason, `to:<district>` for a
 * hand-over; `note`: the note given on ending it, shown to whoever may read the quarantine).
 */
export interface QuarantineEventView {
  at: string;
  by: string;
  action: 'start' | 'extend' | 'end' | 'convert' | 'handover';
  end?: string;
  days?: number;
  reason?: string;
  note?: string;
  caseId?: string;
}

/** A person's risk status and the reason the rules gave (docs/TRACING.md "Risk status"). */
export interface RiskStatusView {
  subjectId: string;
  status: 'green' | 'yellow' | 'red';
  reason: string;
  label: { en: string; zh: string };
  computedAt: string;
}

export interface QuarantineView {
  id: string;
  status: QuarantineStatus;
  contactId: string;
  caseId: string;
  jurisdictionCode: string;
  assignedTo: string | null;
  subject: { id: string; jurisdictionCode: string; identity: IdentityView };
  exposure: { exposureType: ExposureType; exposureDate: string; setting: string | null };
  quarantineStart: string | null;
  quarantineEnd: string | null;
  /** Days left including today (0 once over). */
  daysLeft: number;
  entries: FollowupView[];
  /** Oldest first. */
  events: QuarantineEventView[];
  riskStatus: Omit<RiskStatusView, 'subjectId'> | null;
  handover: { id: string; status: string; toJurisdiction: string } | null;
  abilities: { addEntry: boolean; extend: boolean; end: boolean; convert: boolean; reveal: boolean };
}

/** A quarantine converted into a case, and the new case. */
export type ConvertedView = QuarantineView & { newCaseId: string };

/** A contact of a close contact. */
export interface SecondaryContactView {
  id: string;
  contactId: string;
  createdAt: string;
  subject: { id: string; jurisdictionCode: string; identity: IdentityView };
  exposure: { exposureType: string; exposureDate: string; setting: string | null };
}

export interface HandoverView {
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

// ---- chains --------------------------------------------------------------------------------------

/** What a person is in a chain: their case's classification, or their role as a contact. */
export type NodeKind = Classification | 'close_contact' | 'secondary_contact';

export interface ChainNodeView {
  id: string;
  /** Masked name (viewer may read the person), else the case number, else null. */
  label: string | null;
  labelKind: 'masked_name' | 'case_number' | 'none';
  kind: NodeKind;
  caseIds: string[];
  caseNumbers: string[];
  reportDate: string | null;
  confirmationDate: string | null;
  generation: number;
}

export interface ChainEdgeView {
  id: string;
  kind: 'close_contact' | 'secondary_contact';
  from: string;
  to: string;
  /** Null where the viewer may not see it. */
  exposureDate: string | null;
  exposureType: string | null;
}

export interface ChainView {
  caseId: string;
  rootSubjectId: string;
  /** The walk stopped at the most nodes allowed: the cluster is larger than shown. */
  truncated: boolean;
  nodes: ChainNodeView[];
  edges: ChainEdgeView[];
}

/** A cluster without identities (people are n1, n2…; no names, ids, case numbers or places). */
export interface ClusterExportView {
  format: 'epivault-cluster/1';
  truncated: boolean;
  nodes: { ref: string; kind: NodeKind; generation: number; reportDate: string | null; confirmationDate: string | null }[];
  edges: { from: string; to: string; kind: ChainEdgeView['kind']; exposureDate: string | null; exposureType: string | null }[];
}

// ---- risk areas ----------------------------------------------------------------------------------

export interface RiskAreaView {
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
  area: RiskAreaView;
  /** How many people the token search found with a stay in the area during its window (no one is named). */
  peopleFound: number;
}

/**
 * A declared, active risk area a risk-area release may publish (`GET /api/releases/risk-areas`): the
 * declaration as stored (level, kind, district, venue id, window, validity) and, for a venue, its name
 * in the public venue registry. Nothing in it is typed in by the disclosure officer.
 */
export interface ReleasableArea {
  id: string;
  level: 'high' | 'medium';
  kind: 'district' | 'venue';
  districtCode: string;
  venueId: string | null;
  /** The venue's name in the public venue registry. */
  venueName: string | null;
  windowStart: string;
  windowEnd: string;
  validFrom: string;
  validUntil: string;
}
