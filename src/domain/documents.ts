import type { DocumentType } from './model.ts';

/**
 * The canonical form of a document number, so that "11010519491231002x", "110105 19491231 002X"
 * and the same with full-width digits index alike. Passports carry their issuing country.
 */
export function normalizeDocumentNumber(type: DocumentType, number: string, country?: string): string {
  const n = number.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
  return type === 'passport' ? `${(country ?? '').toUpperCase()}:${n}` : n;
}
