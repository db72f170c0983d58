import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/app-context.ts';
import { checkHealth } from '../services/health.service.ts';
import { handleError, NOT_FOUND_BODY } from './errors.ts';
import { apiRoutes } from './routes/index.ts';
import { sessionPlugin } from './plugins/session.plugin.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { consolePlugin } from './console.plugin.ts';
import { publicPlugin } from './public.plugin.ts';
import { publicDataReader, releaseAuthority } from '../services/public-data.service.ts';
import type { SessionPolicy } from '../services/session.service.ts';

/** How the server listens and judges sessions: TLS (PEM key and certificate), session timeouts, a clock for tests. */
export interface ServerOptions {
  readonly https?: { readonly key: Buffer; readonly cert: Buffer };
  readonly session?: SessionPolicy;
  readonly clock?: () => Date;
  /** How long a reveal shows a field, how long a break-glass grant lasts (config revealMinutes / breakGlassHours). */
  readonly revealMinutes?: number;
  readonly breakGlassHours?: number;
}

/**
 * Content-Security-Policy of every response: only this origin's scripts, styles and images, no
 * plugins, no framing, no <base>, forms post only here. The console (web/console) loads one
 * script and one stylesheet from this origin and needs nothing more.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  scriptSrcAttr: ["'none'"],
};

/**
 * The API docs page only (/api/docs): Swagger UI sets `style` attributes in the markup it renders
 * and draws icons from data: URLs, so there styles may be inline and images data: URLs. Scripts stay
 * 'self' only: Swagger UI's scripts are files it serves itself.
 */
export const DOCS_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; script-src-attr 'none'";

const health = z.object({ status: z.string(), database: z.string() });

/**
 * The HTTP server: the staff API under /api (docs/STAFF-API.md), its OpenAPI 3.1 document and docs
 * page, and /healthz. Every request and response has a zod schema; responses are encoded through
 * theirs, so fields not listed are never sent. Unknown routes answer exactly like a record that does
 * not exist or may not be seen; errors answer through one table (./errors.ts) without detail.
 * Request bodies are never logged.
 */
export function buildServer(ctx: AppContext, options: ServerOptions = {}): FastifyInstance {
  const app = Fastify({
    ...(options.https ? { https: options.https } : {}),
    loggerInstance: ctx.logger as unknown as FastifyBaseLogger,
    trustProxy: false,
    // Fastify's request log carries the raw URL, where a careless client may put a personal value:
    // the onResponse hook below logs the route pattern instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Bodies are JSON only: no text/plain parser, so a cross-site "simple" request cannot carry one (415).
  app.removeContentTypeParser('text/plain');

  app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Epivault staff API', version: '1.0.0', description: 'docs/STAFF-API.md: signed-in staff, need-to-know access, masked by default, every access audited.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ev_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { deepLinking: false, validatorUrl: null },
    transformStaticCSP: () => DOCS_CSP,
  });

  // One line per request: the matched route pattern (never the URL or its query), status and time.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, route: request.routeOptions.url ?? '(unmatched)', statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request completed');
  });

  // Nothing under /api may be cached: every answer is personal or per-session.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') || request.url === '/api') reply.header('cache-control', 'no-store');
  });

  // Staff sign-in (H1) and the console (H4) register here.
  app.register(sessionPlugin, { ctx, ...(options.session ? { policy: options.session } : {}), ...(options.clock ? { clock: options.clock } : {}) });
  app.register(authRoutes, { ctx });
  app.register(consolePlugin);
  app.register(publicPlugin, { data: publicDataReader(ctx), authority: releaseAuthority(ctx), ...(options.clock ? { clock: options.clock } : {}) });

  app.register(async (api) => {
    api.get('/api/openapi.json', { schema: { hide: true } }, async (_req, reply) => reply.type('application/json; charset=utf-8').send(JSON.stringify(app.swagger())));
    await apiRoutes(api, ctx, {
      revealMinutes: options.revealMinutes ?? ctx.settings.revealMinutes,
      ...(options.breakGlassHours !== undefined ? { breakGlassHours: options.breakGlassHours } : {}),
    });
  });

  app.withTypeProvider<ZodTypeProvider>().get('/healthz', { schema: { hide: true, response: { 200: health, 503: health } } }, async (_req, reply) => {
    const status = await checkHealth(ctx);
    return reply.code(status.status === 'ok' ? 200 : 503).header('cache-control', 'no-store').send(status);
  });

  app.setNotFoundHandler((_req, reply) => reply.code(404).send(NOT_FOUND_BODY));
  app.setErrorHandler(handleError);
  return app;
}
