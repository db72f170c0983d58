/**
 * Views of cases, their contacts, notes and travel, subjects and search matches, as the staff API
 * sends them (src/services/case.service.ts and its neighbours build them; web/console reads them).
 * Identities are `IdentityView`s of src/domain/masking.ts: masked unless revealed.
 */
import type { FieldView, IdentityView } from '../masking.ts';
import type { Classification, ExposureType, Outcome, Sex, TravelMode } from '../model.ts';

export interface CaseSummaryView {
  id: string;
  caseNumber: string;
  classification: Classification;
  jurisdictionCode: string;
  reportDate: string;
  confirmationDate: string | null;
  subject: { id: string; name: FieldView; sex: Sex };
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

export interface CaseDetailView extends Omit<CaseSummaryView, 'subject'> {
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

export interface ExposureView {
  exposureType: ExposureType;
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
  exposure: ExposureView;
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
  mode: TravelMode;
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
  /** The subject's own cases that the viewer may read. */
  cases: { id: string; caseNumber: string; classification: Classification }[];
}
