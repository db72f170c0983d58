import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AppContext } from '../services/app-context.ts';
import { checkHealth } from '../services/health.service.ts';

/**
 * The HTTP server. Until staff sign-in exists it serves only `/healthz`: no personal data is
 * ever served without an authenticated, authorized user. Unknown routes and errors answer
 * without detail.
 */
export function buildServer(ctx: AppContext): FastifyInstance {
  const app = Fastify({ loggerInstance: ctx.logger as unknown as FastifyBaseLogger, disableRequestLogging: false, trustProxy: false, bodyLimit: 1024 * 1024 });

  app.get('/healthz', {
    schema: {
      response: {
        200: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } }, required: ['status', 'database'] },
        503: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } }, required: ['status', 'database'] },
      },
    },
  }, async (_req, reply) => {
    const health = await checkHealth(ctx);
    return reply.code(health.status === 'ok' ? 200 : 503).header('cache-control', 'no-store').send(health);
  });

  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not_found', message: 'not found or no access' }));
  app.setErrorHandler((err: { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    req.log.error({ code: status === 500 ? 'internal_error' : 'bad_request' }, 'request failed');
    return reply.code(status).send(status === 500 ? { error: 'internal_error' } : { error: 'bad_request', message: 'the request is not valid' });
  });
  return app;
}
