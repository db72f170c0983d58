import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PublicDataReader, ReleaseAuthority } from '../services/public-data.service.ts';
import { SignedRelease } from './routes/release.schema.ts';
import { publicSitePlugin } from './public-site.plugin.ts';

/**
 * The PUBLIC scope (issue #6 item 4, issue #7, docs/PUBLIC-SITE.md): no session, no cookie, no
 * purpose. Its only data access is the public-data reader it is given — published, public,
 * unexpired, unwithdrawn releases, each re-checked against the standard, and the public venue
 * registry — read through a table-guarded database handle (src/storage/table-guard.ts), so
 * nothing here can reach subjects, cases or the audit log (test/http/public-plugin.test.ts checks
 * the imports of every file of this scope and of web/public). It serves the JSON API under
 * /public and the public site's pages (./public-site.plugin.ts). Each release comes with its
 * Ed25519 signature over the artifact's canonical JSON; clients verify it against the authority's
 * key they already hold (the pages have it built in), not the `publicKey` sent alongside.
 */
export interface PublicPluginOptions {
  readonly data: PublicDataReader;
  /** The release-signing authority, built into the pages' bundle; without it only the JSON API is served. */
  readonly authority?: ReleaseAuthority;
  readonly clock?: () => Date;
}

const NOT_FOUND = { code: 'ERR_NOT_FOUND', message: 'not found' };
const PublicError = z.object({ code: z.string(), message: z.string() });
const PublicId = z.strictObject({ id: z.string().min(1).max(64).regex(/^[a-z0-9]+$/, 'must be a release id') });
const PublicVenue = z.object({ id: z.string(), name: z.string(), address: z.string(), district: z.string(), category: z.string() });
/** The venue registry changes only when venues are added: browsers and caches may keep it an hour. */
export const VENUES_CACHE_CONTROL = 'public, max-age=3600';

export async function publicPlugin(app: FastifyInstance, options: PublicPluginOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const now = options.clock ?? (() => new Date());
  // The same for everyone and without a cookie, but revalidated every time (a withdrawal takes
  // effect at once) unless a route chose otherwise.
  api.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'public, no-cache');
  });

  api.get('/public/releases', {
    schema: { tags: ['public'], summary: 'published releases (exposure points, risk areas, daily counts) with their signatures', response: { 200: z.object({ items: z.array(SignedRelease) }) } },
  }, async () => ({ items: await options.data.list(now()) }));

  api.get('/public/releases/:id', {
    schema: { tags: ['public'], summary: 'one published release with its signature', params: PublicId, response: { 200: SignedRelease, 404: PublicError } },
  }, async (request, reply) => {
    const release = await options.data.get(request.params.id, now());
    return release ? release : reply.code(404).send(NOT_FOUND);
  });

  api.get('/public/venues', {
    schema: { tags: ['public'], summary: 'the public venue registry (no homes, workplaces or schools), downloaded whole by the self-check', response: { 200: z.object({ items: z.array(PublicVenue) }) } },
  }, async (_request, reply) => {
    reply.header('cache-control', VENUES_CACHE_CONTROL);
    return { items: await options.data.venues() };
  });

  if (options.authority) await app.register(publicSitePlugin, { authority: options.authority });
}
