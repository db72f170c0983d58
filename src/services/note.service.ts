/**
 * Notes on a case for staff: free text sealed under the case subject's data key (table `notes`),
 * author and time in clear. Notes are added, never edited.
 */
import { randomId } from '../crypto/index.ts';
import type { NoteView } from '../domain/views/cases.ts';
import type { Page } from '../domain/views/page.ts';
import type { AppContext } from './app-context.ts';
import { accessAudit, authorize } from './access.service.ts';
import { appendAudit } from './audit.service.ts';
import { notFound } from './errors.ts';
import { invalid, subjectKey } from './staff-records.ts';
import type { StaffRequest } from './staff-context.ts';
import { decodeCursor, encodeCursor } from './staff-input.ts';
import { openSubjectJson, sealSubjectJson } from './subject-cipher.ts';

interface SealedNote {
  text: string;
}

export const MAX_NOTE_LENGTH = 4000;

/** A page of a case's notes, oldest first (one audit event for the page). */
export async function listNotes(ctx: AppContext, req: StaffRequest, caseId: string, q: { cursor?: string; limit: number }): Promise<Page<NoteView>> {
  const after = decodeCursor(q.cursor, 2);
  const authorized = await authorize(ctx, req, 'list', { type: 'note', parent: { type: 'case', id: caseId } });
  return ctx.store.transaction(async (repos) => {
    const kase = await repos.cases.getCase(caseId);
    if (!kase) throw notFound();
    const rows = await repos.notes.pageOfCase(caseId, after ? { createdAt: after[0]!, id: after[1]! } : undefined, q.limit + 1);
    const page = rows.slice(0, q.limit);
    const dek = await subjectKey(ctx, repos, kase.subject_id);
    const items = page.map((n) => ({
      id: n.id, caseId, authorId: n.author, createdAt: n.created_at,
      text: openSubjectJson<SealedNote>(dek, n.subject_id, 'notes', n.id, n.sealed).text,
    }));
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'list', authorized, { resourceType: 'note', resourceId: caseId }));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.created_at, last.id]) : null };
  });
}

/** Adds a note to a case: text of 1 to 4000 characters; newlines and tabs allowed, other control characters not. */
export async function addNote(ctx: AppContext, req: StaffRequest, caseId: string, input: { text: string }): Promise<NoteView> {
  const text = input.text.trim();
  if (text.length === 0) throw invalid('text', 'is empty');
  if ([...text].length > MAX_NOTE_LENGTH) throw invalid('text', `is longer than ${MAX_NOTE_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) throw invalid('text', 'contains control characters');
  const authorized = await authorize(ctx, req, 'create', { type: 'note', parent: { type: 'case', id: caseId } });
  return ctx.store.transaction(async (repos) => {
    const kase = await repos.cases.getCase(caseId);
    if (!kase) throw notFound();
    const dek = await subjectKey(ctx, repos, kase.subject_id);
    const id = randomId('n');
    const now = new Date().toISOString();
    await repos.notes.insert({ id, subject_id: kase.subject_id, case_id: caseId, author: req.actor.id, sealed: sealSubjectJson(dek, kase.subject_id, 'notes', id, { text } satisfies SealedNote), created_at: now });
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'create', authorized, { resourceType: 'note', resourceId: id }));
    return { id, caseId, authorId: req.actor.id, createdAt: now, text };
  });
}
