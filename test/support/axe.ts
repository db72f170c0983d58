/**
 * axe-core in a page (browser tests): injects node_modules/axe-core/axe.min.js (4.14.1, a pinned
 * devDependency; nothing is fetched) and runs `axe.run()` on the document. Our pages' CSP
 * (`script-src 'self'`) blocks an inline <script> such as page.addScriptTag({ content }) would add
 * (and would log a CSP violation), so the source is evaluated through the DevTools protocol
 * (page.evaluate), which the page's CSP does not govern; the page itself is unchanged.
 * Returns the violations of the given impacts (serious and critical by default), each summarized
 * as "rule-id (impact): help — first target", so a failing assertion says what to fix.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

/** Runs axe on the page; returns the violations whose impact is in `impacts`. */
export async function axeViolations(page: Page, impacts: readonly string[] = ['serious', 'critical']): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target[0])) }));
  });
  return violations.filter((v) => v.impact !== null && impacts.includes(v.impact));
}

/** One line per violation, for assertion messages. */
export const describeViolations = (vs: readonly AxeViolation[]): string => vs.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets[0] ?? ''}`).join('\n');
