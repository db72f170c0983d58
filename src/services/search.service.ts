/**
 * Finding a person by document number, phone or name through the blind indexes, without
 * decrypting anyone first. Hits are kept only if the viewer may read that subject, then shown
 * masked. A name index keeps 16 bits, so it names a bucket of people: every candidate the viewer
 * may read is decrypted and its normalized name compared, and only true matches are returned.
 * The audit records that a search was made and who was shown, never the searched value.
 */
import { documentIndex, nameIndex, phoneIndex } from '../crypto/index.ts';
import { normalizeDocumentNumber } from '../domain/documents.ts';
import { DOCUMENT_TYPES } from '../domain/model.ts';
import type { Classification, DocumentType } from '../domain/model.ts';
import { normalizeName, validateName } from '../domain/name.ts';
import { normalizePhone } from '../domain/phone.ts';
import type { SearchMatch } from '../domain/views/cases.ts';
import type { Repositories } from '../storage/store.ts';
import type { AppContext } from './app-context.ts';
import { accessAudit, authorize, filterAllowed, maskIdentity } from './access.service.ts';
import { auditAll, invalid, may, openSubjects } from './staff-records.ts';
import type { StaffRequest } from './staff-context.ts';

export interface SearchInput {
  by: 'document' | 'phone' | 'name';
  value: string;
  documentType?: DocumentType;
  documentCountry?: string;
  limit: number;
}

/** Most candidates examined for one search (a name bucket of a very large city). */
const MAX_CANDIDATES = 2000;

export async function search(ctx: AppContext, req: StaffRequest, input: SearchInput): Promise<{ items: SearchMatch[] }> {
  const probe = indexesFor(ctx, input);
  const wanted = input.by === 'name' ? normalizeName(input.value) : null;
  const searching = await authorize(ctx, req, 'search', { type: 'subject' });
  return ctx.store.transaction(async (repos) => {
    const candidates = [...new Set(await probe.lookup(repos))].sort().slice(0, MAX_CANDIDATES);
    const allowed = await filterAllowed(repos, req, 'read', candidates.map((id) => ({ type: 'subject' as const, id })));
    const subjects = await openSubjects(ctx, repos, allowed.map((a) => a.target.id));
    const items: SearchMatch[] = [];
    const shown: typeof allowed = [];
    for (const a of allowed) {
      if (items.length >= input.limit) break;
      const s = subjects.get(a.target.id);
      if (!s || (wanted !== null && normalizeName(s.identity.name) !== wanted)) continue;
      const cases = [];
      for (const c of await repos.cases.casesOfSubject(s.id)) {
        if (await may(repos, req, 'read', { type: 'case', id: c.id })) cases.push({ id: c.id, caseNumber: c.case_number, classification: c.classification as Classification });
      }
      items.push({ subjectId: s.id, jurisdictionCode: s.jurisdictionCode, identity: maskIdentity(s.identity, s.jurisdictionCode, a.authorized.obligations, a.authorized.grants, req.now), cases });
      shown.push(a);
    }
    await auditAll(ctx, repos, req, [
      accessAudit(req, 'search', searching, { resourceType: 'subject', resourceId: null, subjectId: null, reason: `by:${input.by}` }),
      ...shown.map((a) => accessAudit(req, 'search', a.authorized)),
    ]);
    return { items };
  });
}

interface Probe {
  lookup(repos: Repositories): Promise<string[]>;
}

/** The blind indexes to look up, computed before any access (a malformed value is a 400 on `value`). */
function indexesFor(ctx: AppContext, input: SearchInput): Probe {
  if (input.by === 'phone') {
    const p = normalizePhone(input.value);
    if (!p.ok) throw invalid('value', `is not a phone number (${p.reason})`);
    const bidx = phoneIndex(ctx.keys.phoneIndex, p.value);
    return { lookup: (repos) => repos.subjects.findByPhone(bidx) };
  }
  if (input.by === 'name') {
    const reason = validateName(input.value);
    if (reason) throw invalid('value', `is not a name (${reason})`);
    const bidx = nameIndex(ctx.keys.nameIndex, normalizeName(input.value));
    return { lookup: (repos) => repos.subjects.findByNameBucket(bidx) };
  }
  if (input.documentType === 'passport' && !input.documentCountry) throw invalid('documentCountry', 'is required to search a passport');
  const number = input.value.normalize('NFKC').replace(/[\s-]/g, '');
  if (!/^[A-Za-z0-9]{5,20}$/.test(number)) throw invalid('value', 'is not a document number (5 to 20 letters and digits)');
  const types = input.documentType ? [input.documentType] : DOCUMENT_TYPES.filter((t) => t !== 'passport' || input.documentCountry);
  const bidx = types.map((t) => documentIndex(ctx.keys.documentIndex, t, normalizeDocumentNumber(t, number, input.documentCountry)));
  return { lookup: async (repos) => [...(await repos.subjects.findByDocuments(bidx)).values()] };
}
