import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ReleaseAuthority } from '../services/public-data.service.ts';
import { bundleWebApp, memoizeBuild } from './web-bundle.ts';

/**
 * The public site's pages (issue #7, docs/PUBLIC-SITE.md): `/` (dashboard), `/exposures` and
 * `/selfcheck`, each one HTML shell loading `/site/app.js` and `/site/app.css` from this origin
 * (no inline script or style: the server's CSP `default-src 'self'` holds). The bundle is built
 * by esbuild from web/public once per process and per signing key, in memory, with the
 * authority's Ed25519 public key compiled in (`__EPIVAULT_AUTHORITY__`): the pages verify every
 * release against that key, never against one sent with the release. Registered inside the
 * public scope (./public.plugin.ts); it reads no data itself.
 */
const SITE_DIR = fileURLToPath(new URL('../../web/public/', import.meta.url));

/** The pages and their titles (the page's script replaces the title in the chosen language). */
export const PUBLIC_PAGES = { '/': '疫情动态 · Epidemic dashboard', '/exposures': '暴露点位 · Exposure points', '/selfcheck': '自查 · Self-check' } as const;

export interface PublicSiteAssets {
  readonly js: string;
  readonly css: string;
}

// Keyed by the authority as compiled in (chrome113: WebCrypto Ed25519).
const siteBuild = memoizeBuild((authorityJson) => bundleWebApp({
  dir: SITE_DIR, stylesheet: 'site.css', target: ['es2022', 'chrome113', 'firefox130', 'safari17'], define: { __EPIVAULT_AUTHORITY__: authorityJson }, label: 'public site',
}));

/** The site's files for this authority key, bundled on first use and kept for the life of the process. */
export function publicSiteAssets(authority: ReleaseAuthority): Promise<PublicSiteAssets> {
  return siteBuild(JSON.stringify({ name: authority.name, keyId: authority.keyId, publicKey: authority.publicKey }));
}

let template: Promise<string> | null = null;
let favicon: Promise<string> | null = null;
const pageTemplate = () => (template ??= readFile(`${SITE_DIR}index.html`, 'utf8'));
const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function send(reply: FastifyReply, type: string, body: string): FastifyReply {
  // no-cache: revalidated every time, so a restarted server's new bundle (or key) is picked up at once.
  return reply.header('content-type', type).header('cache-control', 'public, no-cache').send(body);
}

export async function publicSitePlugin(app: FastifyInstance, options: { authority: ReleaseAuthority }): Promise<void> {
  app.addHook('onReady', async () => {
    await publicSiteAssets(options.authority);
  });
  for (const [url, title] of Object.entries(PUBLIC_PAGES)) {
    app.get(url, { schema: { hide: true } }, async (_req, reply) => send(reply, 'text/html; charset=utf-8', (await pageTemplate()).replace('{{title}}', escapeHtml(title))));
  }
  app.get('/site/app.js', { schema: { hide: true } }, async (_req, reply) => send(reply, 'text/javascript; charset=utf-8', (await publicSiteAssets(options.authority)).js));
  // One icon for the public pages and the console (both link it), so that no browser asks for a missing /favicon.ico.
  app.get('/favicon.svg', { schema: { hide: true } }, async (_req, reply) => send(reply, 'image/svg+xml', await (favicon ??= readFile(`${SITE_DIR}favicon.svg`, 'utf8'))));
  app.get('/site/app.css', { schema: { hide: true } }, async (_req, reply) => send(reply, 'text/css; charset=utf-8', (await publicSiteAssets(options.authority)).css));
}
