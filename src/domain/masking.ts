/**
 * Masked views of identity fields (docs/STAFF-API.md "Masked by default"). Staff see identities
 * masked unless they hold an unexpired reveal grant on that field of that record; each rule below
 * shows at most what the contract allows and never any other part of the value.
 *
 * Characters are counted as user-perceived characters (grapheme clusters), so a Chinese name, a
 * Latin name with combining accents and a name with characters outside the BMP mask alike.
 */
import { divisionName } from './divisions.ts';
import { areaOf, jurisdictionPrefix } from './jurisdiction.ts';
import type { DocumentType, Identity, Sex } from './model.ts';

/** Identity fields that lists and records show masked unless revealed. */
export const MASKABLE_FIELDS = ['name', 'document', 'phone', 'address', 'birth_date', 'employer', 'occupation'] as const;
export type MaskableField = (typeof MASKABLE_FIELDS)[number];

export function isMaskableField(v: unknown): v is MaskableField {
  return typeof v === 'string' && (MASKABLE_FIELDS as readonly string[]).includes(v);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Characters each of which is a grapheme cluster of its own whatever surrounds it (Unicode UAX #29:
 * printable ASCII and the CJK Unified Ideographs all have Grapheme_Cluster_Break=Other, and
 * between two such characters there is always a break). Most names, numbers and phones are made
 * of them only, and are split without the segmenter.
 */
const SIMPLE_CHARS = /^[\x20-\x7e\u4e00-\u9fff]*$/;

/** The user-perceived characters of `s`. */
export function graphemes(s: string): string[] {
  if (SIMPLE_CHARS.test(s)) return s.split('');
  return Array.from(segmenter.segment(s), (g) => g.segment);
}

/**
 * The first character, then one `*` per remaining character: `张三丰` → `张**`, `Zoë Smith` →
 * `Z********`. A one-character name is shown as `*` (its first character would be all of it).
 */
export function maskName(name: string): string {
  const chars = graphemes(name);
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

/**
 * `*` then the last characters: four of them, but never more than half of the value, so that a
 * short value is not shown whole (`110105198503011234` → `*1234`, `123456` → `*456`, `1234` → `*34`).
 */
function maskTail(value: string): string {
  const chars = graphemes(value.trim());
  const shown = Math.min(4, Math.floor(chars.length / 2));
  return '*' + (shown > 0 ? chars.slice(-shown).join('') : '');
}

/** A document number masked as `*` and its last four characters. */
export function maskDocument(number: string): string {
  return maskTail(number);
}

/** A phone number masked as `*` and its last four digits. */
export function maskPhone(phone: string): string {
  return maskTail(phone);
}

/**
 * The address, masked: the name of the district (area) of the subject's jurisdiction code, and
 * nothing of the street address. Above area level (or for an unknown code), the name of the
 * division itself; `null` if the code is unknown.
 */
export function maskAddress(jurisdictionCode: string): string | null {
  const area = areaOf(jurisdictionCode);
  const code = area ?? jurisdictionPrefix(jurisdictionCode);
  return code === undefined ? null : (divisionName(code) ?? null);
}

/** A birth date (`YYYY-MM-DD`) masked to its year; `null` if it does not start with a year. */
export function maskBirthDate(date: string): string | null {
  const m = /^(\d{4})(?:-|$)/.exec(date);
  return m ? m[1]! : null;
}

/** One field as shown: its value (masked or clear; `null` when hidden or absent) and whether it is masked. */
export interface FieldView {
  readonly value: string | null;
  readonly masked: boolean;
}

export interface DocumentView extends FieldView {
  readonly type: DocumentType;
  readonly country: string | null;
}

/** An identity as staff see it. Sex is not masked (it is needed for every epidemiological count). */
export interface IdentityView {
  readonly name: FieldView;
  readonly documents: readonly DocumentView[];
  readonly phone: FieldView;
  readonly address: FieldView;
  readonly birthDate: FieldView;
  readonly sex: Sex;
  readonly occupation: FieldView;
  readonly employer: FieldView;
}

function field(clear: string | undefined, revealed: boolean, mask: (v: string) => string | null): FieldView {
  if (revealed) return { value: clear ?? null, masked: false };
  return { value: clear === undefined ? null : mask(clear), masked: true };
}

const hidden = () => null;

/**
 * The view of an identity with every field masked except those in `revealed` (the fields the
 * viewer holds an unexpired reveal grant on). `jurisdictionCode` is the subject's, for the masked
 * address.
 */
export function maskIdentityFields(identity: Identity, jurisdictionCode: string, revealed: Iterable<MaskableField> = []): IdentityView {
  const open = new Set(revealed);
  return {
    name: field(identity.name, open.has('name'), maskName),
    documents: identity.documents.map((d) => ({
      type: d.type,
      country: d.country ?? null,
      ...field(d.number, open.has('document'), maskDocument),
    })),
    phone: field(identity.phone, open.has('phone'), maskPhone),
    address: open.has('address') ? { value: identity.address ?? null, masked: false } : { value: maskAddress(jurisdictionCode), masked: true },
    birthDate: field(identity.birthDate, open.has('birth_date'), maskBirthDate),
    sex: identity.sex,
    occupation: field(identity.occupation, open.has('occupation'), hidden),
    employer: field(identity.employer, open.has('employer'), hidden),
  };
}

/** The clear value of one field of an identity (what a reveal returns); documents are joined by `, `. */
export function identityField(identity: Identity, name: MaskableField): string | null {
  switch (name) {
    case 'name': return identity.name;
    case 'document': return identity.documents.length ? identity.documents.map((d) => d.number).join(', ') : null;
    case 'phone': return identity.phone ?? null;
    case 'address': return identity.address ?? null;
    case 'birth_date': return identity.birthDate;
    case 'employer': return identity.employer ?? null;
    case 'occupation': return identity.occupation ?? null;
  }
}
