/**
 * What staff type into the console, validated by the same rules as a line-list import
 * (src/domain/line-list.ts): the HTTP layer checks shapes, these functions check meaning (dates,
 * identity numbers and their consistency with birth date and sex, phones, division codes). A
 * problem is a ServiceError naming the field by its API path; it never quotes the value.
 */
import type { CaseDetails, CaseInput, Classification, ContactExposure, DocumentType, ExposureType, Identity, Outcome, PersonInput, Sex, TravelMode, TravelRecord } from '../domain/model.ts';
import { compareIsoDate, parseIsoDate } from '../domain/dates.ts';
import { validateLineListRow } from '../domain/line-list.ts';
import type { LineListColumn, LineListRow } from '../domain/line-list.ts';
import { ServiceError } from './errors.ts';

/** A person as the staff API takes it: the line list's columns, in camelCase, one document. */
export interface PersonFields {
  name: string;
  documentType?: DocumentType;
  documentNumber: string;
  documentCountry?: string;
  phone: string;
  address: string;
  birthDate: string;
  sex: Sex;
  occupation?: string;
  employer?: string;
  districtCode: string;
  streetCode?: string;
}

export interface CaseFields {
  classification: Classification;
  reportDate: string;
  confirmationDate?: string | null;
  onsetDate?: string | null;
  outcome?: Outcome | null;
  source?: string | null;
  caseNumber?: string;
}

export interface ExposureFields {
  exposureType: ExposureType;
  exposureDate: string;
  setting?: string | null;
  quarantineStart?: string | null;
  quarantineEnd?: string | null;
}

export interface TravelFields {
  mode: TravelMode;
  placeId?: string | null;
  placeText?: string | null;
  /** ISO 8601 date-times with offset. */
  arrival: string;
  departure: string;
}

const PERSON_FIELD: Partial<Record<LineListColumn, keyof PersonFields>> = {
  name: 'name', id_number: 'documentNumber', document_type: 'documentType', document_country: 'documentCountry', phone: 'phone',
  address: 'address', birth_date: 'birthDate', sex: 'sex', occupation: 'occupation', employer: 'employer', district_code: 'districtCode', street_code: 'streetCode',
};
const CASE_FIELD: Partial<Record<LineListColumn, keyof CaseFields>> = {
  classification: 'classification', onset_date: 'onsetDate', report_date: 'reportDate', confirmation_date: 'confirmationDate', outcome: 'outcome', case_number: 'caseNumber',
};

const invalid = (field: string, reason: string) => new ServiceError('ERR_VALIDATION', `${field} ${reason}`, field);

function personRow(p: PersonFields): LineListRow {
  return {
    name: p.name, id_number: p.documentNumber, document_type: p.documentType, document_country: p.documentCountry, phone: p.phone, address: p.address,
    birth_date: p.birthDate, sex: p.sex, occupation: p.occupation, employer: p.employer, district_code: p.districtCode, street_code: p.streetCode,
  };
}

function firstProblem(problems: readonly { field: LineListColumn; reason: string }[], personPrefix: string, casePrefix: string): ServiceError {
  const p = problems[0]!;
  const personField = PERSON_FIELD[p.field];
  const path = personField ? `${personPrefix}${personField}` : `${casePrefix}${CASE_FIELD[p.field] ?? p.field}`;
  return invalid(path, p.reason);
}

/** A new person (and the case opened for them), validated together like one line of an import. */
export function validatePersonWithCase(person: PersonFields, kase: CaseFields, today: string): { person: PersonInput; kase: CaseInput } {
  checkText('case.source', kase.source);
  const row: LineListRow = {
    ...personRow(person), classification: kase.classification, report_date: kase.reportDate, onset_date: kase.onsetDate ?? undefined,
    confirmation_date: kase.confirmationDate ?? undefined, outcome: kase.outcome ?? undefined, case_number: kase.caseNumber,
  };
  const r = validateLineListRow(row, today);
  if (!r.ok) throw firstProblem(r.problems, 'person.', 'case.');
  return { person: r.person, kase: { ...r.case!, ...(kase.source ? { source: kase.source } : {}) } };
}

/**
 * A new person without a case (a close contact). The line list always carries a case, so a
 * placeholder one (suspected, reported today) is validated with it; it can raise no problem.
 */
export function validatePerson(person: PersonFields, today: string, prefix = 'person.'): PersonInput {
  const r = validateLineListRow({ ...personRow(person), classification: 'suspected', report_date: today }, today);
  if (!r.ok) throw firstProblem(r.problems, prefix, prefix);
  return r.person;
}

/** An identity as edited: the stored one with the changed fields, validated as a whole. */
export function validateIdentity(identity: Identity, jurisdictionCode: string, streetCode: string | null, today: string, prefix = ''): Identity {
  const doc = identity.documents[0];
  const fields: PersonFields = {
    name: identity.name, documentType: doc?.type, documentNumber: doc?.number ?? '', documentCountry: doc?.country, phone: identity.phone ?? '', address: identity.address ?? '',
    birthDate: identity.birthDate, sex: identity.sex, occupation: identity.occupation, employer: identity.employer, districtCode: jurisdictionCode, streetCode: streetCode ?? undefined,
  };
  const checked = validatePerson(fields, today, prefix).identity;
  // Only the first document is edited through the API; the others were validated when registered.
  return { ...checked, documents: [...checked.documents, ...identity.documents.slice(1)] };
}

function checkDate(field: string, v: string | null | undefined, today: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  const r = parseIsoDate(v);
  if (!r.ok) throw invalid(field, `must be a date YYYY-MM-DD (${r.reason})`);
  if (compareIsoDate(r.value, today) > 0) throw invalid(field, 'is in the future');
  return r.value;
}

function checkText(field: string, v: string | null | undefined, max = 200): void {
  if (v === undefined || v === null) return;
  if ([...v].length > max) throw invalid(field, `is longer than ${max} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v)) throw invalid(field, 'contains control characters');
}

/** Case fields on their own (a case for a registered subject, or an edit): the line list's case rules. */
export function validateCaseFields(kase: CaseFields, today: string, prefix = 'case.'): CaseFields {
  const reportDate = checkDate(`${prefix}reportDate`, kase.reportDate, today)!;
  const onsetDate = checkDate(`${prefix}onsetDate`, kase.onsetDate, today);
  const confirmationDate = checkDate(`${prefix}confirmationDate`, kase.confirmationDate, today);
  checkText(`${prefix}source`, kase.source);
  if (kase.caseNumber !== undefined && !/^[\p{L}\p{N}_\-/.]{1,40}$/u.test(kase.caseNumber)) throw invalid(`${prefix}caseNumber`, 'must be 1 to 40 letters, digits or - _ / .');
  if (onsetDate && compareIsoDate(onsetDate, reportDate) > 0) throw invalid(`${prefix}onsetDate`, 'is after the report date');
  if (confirmationDate && kase.classification !== 'confirmed') throw invalid(`${prefix}confirmationDate`, 'is only allowed for confirmed cases');
  return { ...kase, reportDate, onsetDate: onsetDate ?? null, confirmationDate: confirmationDate ?? null };
}

export function detailsOf(kase: Pick<CaseFields, 'onsetDate' | 'outcome' | 'source'>): CaseDetails {
  return {
    ...(kase.onsetDate ? { onsetDate: kase.onsetDate } : {}),
    ...(kase.outcome ? { outcome: kase.outcome } : {}),
    ...(kase.source ? { source: kase.source } : {}),
  };
}

/** A close contact's exposure: dates real and not in the future, quarantine ending after it starts. */
export function validateExposure(e: ExposureFields, today: string, prefix = 'exposure.'): ContactExposure {
  const exposureDate = checkDate(`${prefix}exposureDate`, e.exposureDate, today)!;
  checkText(`${prefix}setting`, e.setting);
  const start = e.quarantineStart ? parseIsoDate(e.quarantineStart) : null;
  const end = e.quarantineEnd ? parseIsoDate(e.quarantineEnd) : null;
  if (start && !start.ok) throw invalid(`${prefix}quarantineStart`, `must be a date YYYY-MM-DD (${start.reason})`);
  if (end && !end.ok) throw invalid(`${prefix}quarantineEnd`, `must be a date YYYY-MM-DD (${end.reason})`);
  if (start?.ok && compareIsoDate(start.value, exposureDate) < 0) throw invalid(`${prefix}quarantineStart`, 'is before the exposure date');
  if (end?.ok && !start?.ok) throw invalid(`${prefix}quarantineStart`, 'is required with a quarantine end');
  if (start?.ok && end?.ok && compareIsoDate(end.value, start.value) < 0) throw invalid(`${prefix}quarantineEnd`, 'is before the quarantine start');
  return {
    exposureType: e.exposureType,
    exposureDate,
    ...(e.setting ? { setting: e.setting } : {}),
    ...(start?.ok ? { quarantineStart: start.value } : {}),
    ...(end?.ok ? { quarantineEnd: end.value } : {}),
  };
}

/** Longest stay accepted for one travel record (a venue visit writes one token per hour it covers). */
export const MAX_STAY_MS = 7 * 24 * 3600 * 1000;
const EARLIEST_TRAVEL = Date.UTC(2000, 0, 1);

function checkTime(field: string, v: string, now: Date): number {
  const ms = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || !Number.isFinite(ms)) throw invalid(field, 'must be an ISO 8601 date-time with a time zone');
  if (ms < EARLIEST_TRAVEL) throw invalid(field, 'is too far in the past');
  if (ms > now.getTime() + 60_000) throw invalid(field, 'is in the future');
  return ms;
}

/** A travel record: times real, not in the future, in order and at most a week apart; a venue visit names a place. */
export function validateTravel(t: TravelFields, now: Date, prefix = ''): TravelRecord {
  const arrival = checkTime(`${prefix}arrival`, t.arrival, now);
  const departure = checkTime(`${prefix}departure`, t.departure, now);
  if (departure < arrival) throw invalid(`${prefix}departure`, 'is before the arrival');
  if (departure - arrival > MAX_STAY_MS) throw invalid(`${prefix}departure`, 'is more than 7 days after the arrival');
  checkText(`${prefix}placeText`, t.placeText);
  if (t.mode === 'venue_visit' && !t.placeId) throw invalid(`${prefix}placeId`, 'is required for a venue visit');
  if (t.mode !== 'venue_visit' && t.placeId) throw invalid(`${prefix}placeId`, 'is only allowed for a venue visit');
  return {
    mode: t.mode,
    ...(t.placeId ? { placeId: t.placeId } : {}),
    ...(t.placeText ? { placeText: t.placeText } : {}),
    arrival,
    departure,
  };
}

/** Keyset cursors: opaque base64url of a JSON array of strings; anything else is a validation error on `cursor`. */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): string[] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === arity && v.every((s) => typeof s === 'string' && s.length <= 100)) return v as string[];
  } catch {
    // fall through
  }
  throw invalid('cursor', 'is not a cursor this list returned');
}
