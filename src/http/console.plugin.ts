import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { bundleWebApp, memoizeBuild } from './web-bundle.ts';

/**
 * Serves the staff console (web/console, docs/CONSOLE.md) under `/console`: `index.html` at
 * `/console/` and at every client-side route, `app.js` and `app.css` bundled by esbuild from the TypeScript sources once per
 * process, in memory. The page loads only these two files from this origin (no inline script or
 * style), so the API's Content-Security-Policy `default-src 'self'` holds for it too.
 */
const CONSOLE_DIR = fileURLToPath(new URL('../../web/console/', import.meta.url));

/** Client-side routes of the console (web/console/router.tsx), below `/console`; each answers with index.html. */
export const CONSOLE_ROUTES = [
  '', '/', '/sign-in', '/enrol', '/enrol/*', '/cases', '/cases/*', '/subjects/*', '/contacts/*', '/travel/*',
  '/search', '/assignments', '/quarantines', '/quarantines/*', '/clusters', '/supervisor', '/supervisor/*', '/releases', '/releases/*',
] as const;

export interface ConsoleAssets {
  readonly html: string;
  readonly js: string;
  readonly css: string;
}

const consoleBuild = memoizeBuild(async (): Promise<ConsoleAssets> => {
  const { js, css } = await bundleWebApp({ dir: CONSOLE_DIR, stylesheet: 'app.css', target: ['es2022', 'chrome110', 'firefox110', 'safari16'], label: 'console' });
  return { html: await readFile(`${CONSOLE_DIR}index.html`, 'utf8'), js, css };
});

/** The console's files, bundled on first use and kept for the life of the process. */
export function consoleAssets(): Promise<ConsoleAssets> {
  return consoleBuild('console');
}

function send(reply: FastifyReply, type: string, body: string): FastifyReply {
  // no-cache: the browser revalidates, so a restarted server's new bundle is picked up at once.
  return reply.header('content-type', type).header('cache-control', 'no-cache').send(body);
}

/** Registers the console's routes. The bundle is built when the server starts (onReady). */
export async function consolePlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onReady', async () => {
    await consoleAssets();
  });
  const page = async (_req: unknown, reply: FastifyReply) => send(reply, 'text/html; charset=utf-8', (await consoleAssets()).html);
  for (const url of CONSOLE_ROUTES) app.get(`/console${url}`, { schema: { hide: true } }, page);
  app.get('/console/app.js', { schema: { hide: true } }, async (_req, reply) => send(reply, 'text/javascript; charset=utf-8', (await consoleAssets()).js));
  app.get('/console/app.css', { schema: { hide: true } }, async (_req, reply) => send(reply, 'text/css; charset=utf-8', (await consoleAssets()).css));
}
