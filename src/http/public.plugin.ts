import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PublishedReleaseReader } from '../services/release.service.ts';
import { SignedRelease } from './routes/release.schema.ts';

/**
 * The PUBLIC scope (issue #6 item 4, issue #7): no session, no cookie, no purpose. Its only data
 * access is the published-release reader it is given — published, public, unexpired, unwithdrawn
 * releases, each re-checked against the standard — so nothing here can reach subjects, cases or
 * the audit log (test/http/public-plugin.test.ts checks this file's imports). Each release comes
 * with its Ed25519 signature over the artifact's canonical JSON; clients verify it against the
 * authority's key they already hold, not the `publicKey` sent alongside.
 */
export interface PublicPluginOptions {
  readonly releases: PublishedReleaseReader;
  readonly clock?: () => Date;
}

const NOT_FOUND = { code: 'ERR_NOT_FOUND', message: 'not found' };
const PublicError = z.object({ code: z.string(), message: z.string() });
const PublicId = z.strictObject({ id: z.string().min(1).max(64).regex(/^[a-z0-9]+$/, 'must be a release id') });

export async function publicPlugin(app: FastifyInstance, options: PublicPluginOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const now = options.clock ?? (() => new Date());
  // The same for everyone and without a cookie, but revalidated every time: a withdrawal takes effect at once.
  api.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'public, no-cache');
  });

  api.get('/public/releases', {
    schema: { tags: ['public'], summary: 'published releases (exposure points, risk areas, daily counts) with their signatures', response: { 200: z.object({ items: z.array(SignedRelease) }) } },
  }, async () => ({ items: await options.releases.list(now()) }));

  api.get('/public/releases/:id', {
    schema: { tags: ['public'], summary: 'one published release with its signature', params: PublicId, response: { 200: SignedRelease, 404: PublicError } },
  }, async (request, reply) => {
    const release = await options.releases.get(request.params.id, now());
    return release ? release : reply.code(404).send(NOT_FOUND);
  });
}
