/**
 * Jurisdictions are nodes of the GB/T 2260 division tree. A staff account serves one node and
 * everything below it: 110000 (Beijing) ⊇ 110105 (Chaoyang) ⊇ 110105001 (a street of Chaoyang).
 * Codes are written either at their own length (11, 1101, 110105, 110105001) or, for provinces and
 * cities, padded to six digits (110000, 110100); both forms name the same node.
 */
import { isKnownDivisionCode, isKnownRegionPrefix } from './divisions.ts';

/**
 * The code of a known division at its own length (province 2 digits, city 4, area 6, street 9):
 * `'110000'` → `'11'`, `'110100'` → `'1101'`, `'110105'` → `'110105'`. `undefined` for anything
 * that is not a known division, so unknown codes are never inside any jurisdiction.
 */
export function jurisdictionPrefix(code: string): string | undefined {
  if (typeof code !== 'string') return undefined;
  if (isKnownDivisionCode(code)) return code;
  if (!isKnownRegionPrefix(code)) return undefined;
  return code.endsWith('0000') ? code.slice(0, 2) : code.slice(0, 4);
}

/**
 * True if the division `code` lies in the subtree served by `jurisdiction` (a node is within
 * itself). Both must be known divisions; the check is a prefix test on their canonical codes,
 * which is exact because every GB/T 2260 code starts with the code of its parent.
 */
export function isInJurisdiction(code: string | undefined, jurisdiction: string): boolean {
  if (code === undefined) return false;
  const inner = jurisdictionPrefix(code);
  const outer = jurisdictionPrefix(jurisdiction);
  return inner !== undefined && outer !== undefined && inner.startsWith(outer);
}

/** The six-digit area (district) code a code lies in, or `undefined` above area level or when unknown. */
export function areaOf(code: string): string | undefined {
  const canonical = jurisdictionPrefix(code);
  return canonical !== undefined && canonical.length >= 6 ? canonical.slice(0, 6) : undefined;
}
