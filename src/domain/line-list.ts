import { CLASSIFICATIONS, DOCUMENT_TYPES, OUTCOMES } from './model.ts';
import type { CaseInput, Classification, DocumentType, Outcome, PersonInput, Sex } from './model.ts';
import { compareIsoDate, parseIsoDate } from './dates.ts';
import { isDistrictCode, isStreetCode, isWithin } from './divisions.ts';
import { checkResidentIdConsistency, parseResidentId } from './id-number.ts';
import { validateName } from './name.ts';
import { normalizePhone } from './phone.ts';

/**
 * One line-list row (docs/IMPORT.md) validated into a person and a case. Problems name the field
 * and the reason; they never quote the value, because rejection reports and logs must not carry
 * personal data.
 */
export const REQUIRED_COLUMNS = ['name', 'id_number', 'phone', 'address', 'birth_date', 'sex', 'district_code', 'classification', 'onset_date', 'report_date'] as const;
export const OPTIONAL_COLUMNS = ['document_type', 'document_country', 'street_code', 'occupation', 'employer', 'case_number', 'confirmation_date', 'outcome'] as const;
export type LineListColumn = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];
export type LineListRow = Partial<Record<LineListColumn, string>>;

export interface RowProblem {
  field: LineListColumn;
  reason: string;
}

export type RowResult = { ok: true; person: PersonInput; case: CaseInput | null } | { ok: false; problems: RowProblem[] };

const MAX_TEXT = 200;

function text(row: LineListRow, field: LineListColumn, problems: RowProblem[], required: boolean): string | undefined {
  const v = (row[field] ?? '').trim();
  if (v.length === 0) {
    if (required) problems.push({ field, reason: 'is required' });
    return undefined;
  }
  if ([...v].length > MAX_TEXT) problems.push({ field, reason: `is longer than ${MAX_TEXT} characters` });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v)) problems.push({ field, reason: 'contains control characters' });
  return v;
}

function date(row: LineListRow, field: LineListColumn, problems: RowProblem[], required: boolean): string | undefined {
  const v = text(row, field, problems, required);
  if (v === undefined) return undefined;
  const r = parseIsoDate(v);
  if (!r.ok) {
    problems.push({ field, reason: `must be a date YYYY-MM-DD (${r.reason})` });
    return undefined;
  }
  return r.value;
}

function oneOf<T extends string>(row: LineListRow, field: LineListColumn, allowed: readonly T[], problems: RowProblem[], required: boolean): T | undefined {
  const v = text(row, field, problems, required)?.toLowerCase();
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    problems.push({ field, reason: `must be one of ${allowed.join(', ')}` });
    return undefined;
  }
  return v as T;
}

/** Validates a row; `today` bounds dates (nothing may lie in the future). */
export function validateLineListRow(row: LineListRow, today: string): RowResult {
  const problems: RowProblem[] = [];
  const name = text(row, 'name', problems, true);
  if (name !== undefined) {
    const reason = validateName(name);
    if (reason) problems.push({ field: 'name', reason });
  }
  const documentType = oneOf<DocumentType>(row, 'document_type', DOCUMENT_TYPES, problems, false) ?? 'resident_id';
  const documentCountry = text(row, 'document_country', problems, false)?.toUpperCase();
  const birthDate = date(row, 'birth_date', problems, true);
  const sexRaw = text(row, 'sex', problems, true)?.toUpperCase();
  const sex: Sex | undefined = sexRaw === 'M' || sexRaw === 'F' ? sexRaw : undefined;
  if (sexRaw !== undefined && sex === undefined) problems.push({ field: 'sex', reason: 'must be M or F' });

  let idNumber = text(row, 'id_number', problems, true);
  if (idNumber !== undefined && documentType === 'resident_id') {
    const parsed = parseResidentId(idNumber, { today });
    if (!parsed.ok) {
      problems.push({ field: 'id_number', reason: parsed.reason });
      idNumber = undefined;
    } else {
      idNumber = parsed.value.number;
      const inconsistent = checkResidentIdConsistency(idNumber, { birthDate, sex }, { today });
      if (inconsistent) problems.push({ field: 'id_number', reason: inconsistent });
    }
  } else if (idNumber !== undefined && !/^[A-Za-z0-9]{5,20}$/.test(idNumber.replace(/[\s-]/g, ''))) {
    problems.push({ field: 'id_number', reason: 'must be 5 to 20 letters and digits for this document type' });
  }
  if (documentType === 'passport' && (documentCountry === undefined || !/^[A-Z]{3}$/.test(documentCountry))) {
    problems.push({ field: 'document_country', reason: 'is required for a passport as an ISO 3166 alpha-3 code' });
  }

  let phone = text(row, 'phone', problems, true);
  if (phone !== undefined) {
    const p = normalizePhone(phone);
    if (p.ok) phone = p.value;
    else problems.push({ field: 'phone', reason: p.reason });
  }
  const address = text(row, 'address', problems, true);
  const district = text(row, 'district_code', problems, true);
  if (district !== undefined && !isDistrictCode(district)) problems.push({ field: 'district_code', reason: 'is not a GB/T 2260 district code' });
  const street = text(row, 'street_code', problems, false);
  if (street !== undefined && (!isStreetCode(street) || (district !== undefined && !isWithin(street, district)))) {
    problems.push({ field: 'street_code', reason: 'is not a street of the district' });
  }

  const classification = oneOf<Classification>(row, 'classification', CLASSIFICATIONS, problems, true);
  const onset = date(row, 'onset_date', problems, false);
  const report = date(row, 'report_date', problems, true);
  const confirmation = date(row, 'confirmation_date', problems, false);
  const outcome = oneOf<Outcome>(row, 'outcome', OUTCOMES, problems, false);
  const caseNumber = text(row, 'case_number', problems, false);
  if (caseNumber !== undefined && !/^[\p{L}\p{N}_\-/.]{1,40}$/u.test(caseNumber)) problems.push({ field: 'case_number', reason: 'must be 1 to 40 letters, digits or - _ / .' });
  for (const [field, v] of [['birth_date', birthDate], ['onset_date', onset], ['report_date', report], ['confirmation_date', confirmation]] as const) {
    if (v !== undefined && compareIsoDate(v, today) > 0) problems.push({ field, reason: 'is in the future' });
  }
  if (onset && report && compareIsoDate(onset, report) > 0) problems.push({ field: 'onset_date', reason: 'is after the report date' });
  if (onset && birthDate && compareIsoDate(onset, birthDate) < 0) problems.push({ field: 'onset_date', reason: 'is before the birth date' });
  if (confirmation && classification !== 'confirmed') problems.push({ field: 'confirmation_date', reason: 'is only allowed for confirmed cases' });

  if (problems.length > 0) return { ok: false, problems };
  const person: PersonInput = {
    identity: {
      name: name!,
      documents: [{ type: documentType, number: idNumber!, ...(documentType === 'passport' ? { country: documentCountry! } : {}) }],
      phone: phone!,
      address: address!,
      birthDate: birthDate!,
      sex: sex!,
      ...(row.occupation?.trim() ? { occupation: row.occupation.trim() } : {}),
      ...(row.employer?.trim() ? { employer: row.employer.trim() } : {}),
    },
    jurisdictionCode: district!,
    ...(street ? { streetCode: street } : {}),
  };
  const kase: CaseInput = {
    caseNumber: caseNumber ?? '',
    classification: classification!,
    reportDate: report!,
    ...(onset ? { onsetDate: onset } : {}),
    ...(confirmation ? { confirmationDate: confirmation } : {}),
    ...(outcome ? { outcome } : {}),
  };
  return { ok: true, person, case: kase };
}
