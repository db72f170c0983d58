import { z } from 'zod';
import { Cursor, Limit } from './common.schema.ts';

/** The cluster list's request and response shapes (docs/STAFF-API.md "Clusters", docs/TRACING.md "Clusters"). */

export const ClusterListQuery = z.strictObject({
  minSize: z.coerce.number().int().min(1).max(1_000_000).optional().describe('clusters of at least this many people (default 2)'),
  cursor: Cursor,
  limit: Limit,
});

const count = z.number().int().min(0);

/** One cluster, without identities: no name, subject id or case number. */
export const ClusterView = z.strictObject({
  id: z.string().describe('the smallest case id of the cluster (stable while it grows)'),
  people: count,
  cases: count.describe('people of the cluster who have a case'),
  contacts: count.describe('people of the cluster who are only contacts'),
  kinds: z.strictObject({
    confirmed: count, suspected: count, asymptomatic: count, excluded: count, close_contact: count, secondary_contact: count,
  }).describe('people by their case\'s classification or their contact role (sums to people)'),
  firstReportDate: z.string(),
  lastReportDate: z.string(),
  lastActivity: z.string().describe('the latest report, confirmation or recording date in the cluster'),
  districts: z.array(z.string()).describe('district codes of the cluster\'s cases'),
  openCaseId: z.string().describe('a case of the viewer\'s subtree whose chain the viewer may read (GET /api/cases/:id/chain)'),
});

export const ClusterPage = z.object({ items: z.array(ClusterView), nextCursor: z.string().nullable() });
