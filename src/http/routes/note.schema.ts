import { z } from 'zod';
import { Cursor, Limit } from './common.schema.ts';

export const NoteBody = z.strictObject({ text: z.string().min(1).max(4000) });
export const NoteQuery = z.strictObject({ cursor: Cursor, limit: Limit });
export const NoteView = z.object({ id: z.string(), caseId: z.string(), authorId: z.string(), createdAt: z.string(), text: z.string() });
