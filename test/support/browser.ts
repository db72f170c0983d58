/**
 * Browser tests: Debian's Chromium driven by playwright-core (never a downloaded browser). Without
 * /usr/bin/chromium (or EPIVAULT_CHROMIUM) the browser tests are skipped with a message, except
 * under CI=true, where a missing browser is a failure.
 */
import { existsSync, rmSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { nextTotpCode } from './staff.ts';
import type { StaffCredentials } from './staff.ts';

export const CHROMIUM = process.env.EPIVAULT_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing; CI requires it (apt-get install chromium fonts-noto-cjk)`);

/** `skip` option of a browser test suite: false, or the reason it is skipped. */
export const BROWSER_SKIP: false | string = HAVE_CHROMIUM ? false : `${CHROMIUM} not found: browser tests skipped (apt-get install chromium fonts-noto-cjk)`;

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}

/** Signs in through the console's sign-in page (password and a fresh TOTP code). */
export async function signInPage(page: Page, base: string, who: StaffCredentials): Promise<void> {
  await page.goto(`${base}/console/sign-in`);
  await page.fill('#f-username', who.username);
  await page.fill('#f-password', who.password);
  await page.fill('#f-totp', await nextTotpCode(who));
  await page.click('[data-testid=sign-in-form] button[type=submit]');
}

/**
 * A page in a fresh English context (1280×900) whose Content-Security-Policy violations are
 * collected; the context is added to `contexts` for closing after the suite.
 */
export async function newConsolePage(browser: Browser, contexts: BrowserContext[], cspViolations: string[], options: { acceptDownloads?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, ...options });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/content security policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return page;
}

/** Starts the server on a free loopback port and returns its base URL. */
export async function listenLocal(server: FastifyInstance): Promise<string> {
  await server.listen({ host: '127.0.0.1', port: 0 });
  const addr = server.server.address();
  if (!addr || typeof addr !== 'object') throw new Error('the server has no TCP address');
  return `http://127.0.0.1:${addr.port}`;
}

/**
 * Tears a browser test down: its contexts, the browser, the server, the test app; then its
 * screenshot directory, unless EPIVAULT_KEEP_SCREENSHOTS=1 asks to keep it to look at.
 */
export async function closeBrowserTest(h: {
  contexts: readonly BrowserContext[];
  browser?: Browser | undefined;
  server?: FastifyInstance | undefined;
  app?: { cleanup(): Promise<void> } | undefined;
  shots?: string;
}): Promise<void> {
  for (const c of h.contexts) await c.close().catch(() => {});
  await h.browser?.close().catch(() => {});
  await h.server?.close();
  await h.app?.cleanup();
  if (h.shots === undefined) return;
  if (process.env.EPIVAULT_KEEP_SCREENSHOTS === '1') console.log(`screenshots kept in ${h.shots}`);
  else rmSync(h.shots, { recursive: true, force: true });
}
