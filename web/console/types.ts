/**
 * The shapes of the staff API's answers that the console reads (docs/STAFF-API.md; the server's
 * zod schemas in src/http/routes are the source of truth, and the OpenAPI document at
 * /api/openapi.json lists them).
 */

/** One identity field as shown: masked, clear (revealed), or null when hidden or absent. */
export interface FieldView {
  value: string | null;
  masked: boolean;
}

export interface DocumentView extends FieldView {
  type: string;
  country: string | null;
}

export interface IdentityView {
  name: FieldView;
  documents: DocumentView[];
  phone: FieldView;
  address: FieldView;
  birthDate: FieldView;
  sex: 'M' | 'F';
  occupation: FieldView;
  employer: FieldView;
}

/** The identity fields a reveal names (src/domain/masking.ts MASKABLE_FIELDS). */
export type MaskableField = 'name' | 'document' | 'phone' | 'address' | 'birth_date' | 'employer' | 'occupation';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Classification = 'suspected' | 'confirmed' | 'asymptomatic' | 'excluded';
export type Outcome = 'under_treatment' | 'recovered' | 'died' | 'unknown';

export interface CaseSummary {
  id: string;
  caseNumber: string;
  classification: Classification;
  jurisdictionCode: string;
  reportDate: string;
  confirmationDate: string | null;
  subject: { id: string; name: FieldView; sex: 'M' | 'F' };
}

/** What the viewer may do with a case, as the server's policy computed it. */
export interface CaseAbilities {
  update: boolean;
  addContact: boolean;
  addNote: boolean;
  addTravel: boolean;
  editSubject: boolean;
  assign: boolean;
  breakGlass: boolean;
  reveal: string[];
}

export interface CaseDetail {
  id: string;
  caseNumber: string;
  classification: Classification;
  jurisdictionCode: string;
  reportDate: string;
  confirmationDate: string | null;
  onsetDate: string | null;
  outcome: Outcome | null;
  source: string | null;
  createdAt: string;
  subject: { id: string; jurisdictionCode: string; identity: IdentityView };
  contacts: { total: number };
  assignedStaff: string[];
  viaBreakGlass: boolean;
  abilities: CaseAbilities;
}

export interface CreatedCase {
  id: string;
  caseNumber: string;
  subjectId: string;
}

export interface Exposure {
  exposureType: string;
  exposureDate: string;
  setting: string | null;
  quarantineStart: string | null;
  quarantineEnd: string | null;
}

export interface ContactView {
  id: string;
  caseId: string;
  createdAt: string;
  subject: { id: string; jurisdictionCode: string; identity: IdentityView };
  exposure: Exposure;
}

export interface NoteView {
  id: string;
  caseId: string;
  authorId: string;
  createdAt: string;
  text: string;
}

export interface TravelView {
  id: string;
  subjectId: string;
  mode: string;
  placeId: string | null;
  placeName: string | null;
  placeText: string | null;
  arrival: string;
  departure: string;
}

export interface SubjectView {
  id: string;
  jurisdictionCode: string;
  streetCode: string | null;
  identity: IdentityView;
  abilities: { edit: boolean; addTravel: boolean; reveal: string[] };
}

export interface SearchMatch {
  subjectId: string;
  jurisdictionCode: string;
  identity: IdentityView;
  cases: Array<{ id: string; caseNumber: string; classification: Classification }>;
}

export interface StaffMember {
  id: string;
  username: string;
  role: string;
}

/** A break-glass grant (no personal data: ids, codes, times, the stated reason). */
export interface BreakGlassGrant {
  id: string;
  accountId: string;
  caseId: string;
  jurisdiction: string;
  reason: string;
  createdAt: string;
  expiresAt: string;
  reviewStatus: 'pending' | 'accepted' | 'flagged';
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
}

/** One of my assigned cases: clear case metadata only. */
export interface AssignedCase {
  caseId: string;
  caseNumber: string;
  classification: Classification;
  jurisdiction: string;
  reportDate: string;
  assignedAt: string;
}
