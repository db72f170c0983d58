/**
 * The disclosure standard (issue #6 item 1, docs/DISCLOSURE-STANDARD.md §1): a versioned JSON file
 * stating, for every field of every release type, `never`, `suppress`, `generalize` (with the finest
 * level allowed) or `publish`. `parseStandard` validates a file against its schema and against the
 * catalog (unknown release types and fields, levels finer than the floor — including `publish` of a
 * field whose floor is above its ladder's finest rung — and publishing a field that may only be
 * `never` are all refused); `checkContent` is the gate every release passes before it
 * is published: a key the standard does not name, a `never` field, a suppressed field with a value,
 * or a value finer than the standard's level is a violation.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseRational } from '../rational.ts';
import { CATALOG, LADDERS, levelIndex, levelOfValue, RELEASE_TYPES } from './catalog.ts';
import type { LadderName, ReleaseType } from './catalog.ts';

const FieldRule = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('never') }),
  z.strictObject({ rule: z.literal('suppress') }),
  z.strictObject({ rule: z.literal('publish') }),
  z.strictObject({ rule: z.literal('generalize'), finest: z.string().min(1) }),
]);
export type FieldRule = z.infer<typeof FieldRule>;

const Fraction = z.string().refine((s) => {
  try {
    return parseRational(s).num > 0n;
  } catch {
    return false;
  }
}, 'must be a positive number or fraction (e.g. "1/2", "0.05")');

/** The index of a field's floor on its ladder (0 when the catalog sets none). */
const floorIndex = (ladder: LadderName, floor: string | undefined): number => (floor === undefined ? 0 : Math.max(0, levelIndex(ladder, floor)));

export const StandardSchema = z.strictObject({
  format: z.literal('epivault-disclosure-standard/v1'),
  version: z.string().regex(/^\d{4}\.\d+$/, 'must look like 2026.1'),
  issued: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  parameters: z.strictObject({
    exposurePoints: z.strictObject({
      minVisitors: z.number().int().min(2).max(1000),
      minCases: z.number().int().min(1).max(100),
      windowHours: z.number().int().min(1).max(24),
      maxWindowHours: z.number().int().min(1).max(48),
      expiryDays: z.number().int().min(1).max(60),
      excludedCategories: z.array(z.string().min(1)),
    }).refine((p) => p.maxWindowHours >= p.windowHours, { message: 'maxWindowHours must be at least windowHours', path: ['maxWindowHours'] }),
    researchExtract: z.strictObject({
      k: z.number().int().min(2).max(100),
      l: z.number().int().min(1).max(10),
      suppressionLimit: z.string().regex(/^(0(\.\d+)?|1)$/, 'must be a decimal in [0, 1]'),
    }),
    dailyCounts: z.strictObject({
      epsilon: Fraction,
      capPerPeriod: Fraction,
      period: z.enum(['day', 'week', 'month', 'year']),
      maxDays: z.number().int().min(1).max(366),
    }),
  }),
  releaseTypes: z.partialRecord(z.enum(RELEASE_TYPES), z.record(z.string(), FieldRule)),
}).superRefine((s, ctx) => {
  for (const [type, fields] of Object.entries(s.releaseTypes) as [ReleaseType, Record<string, FieldRule>][]) {
    const catalog = CATALOG[type];
    for (const [name, rule] of Object.entries(fields)) {
      const path = ['releaseTypes', type, name];
      const spec = catalog[name];
      if (!spec) {
        ctx.addIssue({ code: 'custom', path, message: 'unknown field: the builders of this release type produce no such field' });
        continue;
      }
      if (spec.neverOnly && rule.rule !== 'never') ctx.addIssue({ code: 'custom', path, message: 'this field may only be "never"' });
      // `publish` releases the value as the builder produces it, i.e. at the finest rung of its
      // ladder: allowed only when that rung is the floor itself (otherwise it would pass an exact
      // age, a day or a minute). Such a field must be `generalize` with a `finest` at or above its floor.
      if (rule.rule === 'publish' && spec.ladder && floorIndex(spec.ladder, spec.floor) > 0) {
        ctx.addIssue({ code: 'custom', path, message: `"publish" would release it at ${LADDERS[spec.ladder][0]}, finer than allowed (at the finest: ${spec.floor}): use "generalize" with finest ${spec.floor} or coarser` });
        continue;
      }
      if (rule.rule !== 'generalize') continue;
      if (!spec.ladder) {
        ctx.addIssue({ code: 'custom', path: [...path, 'finest'], message: 'this field cannot be generalized' });
        continue;
      }
      const at = levelIndex(spec.ladder, rule.finest);
      if (at < 0) ctx.addIssue({ code: 'custom', path: [...path, 'finest'], message: `must be one of ${LADDERS[spec.ladder].join(', ')}` });
      else if (at < floorIndex(spec.ladder, spec.floor)) ctx.addIssue({ code: 'custom', path: [...path, 'finest'], message: `is finer than allowed (at the finest: ${spec.floor})` });
    }
  }
});

export type DisclosureStandard = z.infer<typeof StandardSchema>;

/** A standard file that cannot be used; the message names the path in the file, never a value. */
export class StandardError extends Error {
  override readonly name = 'StandardError';
}

/** Validates a parsed standard file. @throws StandardError naming the first bad path. */
export function parseStandard(input: unknown): DisclosureStandard {
  const r = StandardSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new StandardError(`disclosure standard: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data;
}

export const DEFAULT_STANDARD_URL = new URL('./default-standard.json', import.meta.url);

/** Loads and validates a standard file (default: the shipped default-standard.json). */
export function loadStandard(file: URL | string = DEFAULT_STANDARD_URL): DisclosureStandard {
  return parseStandard(JSON.parse(readFileSync(file, 'utf8')));
}

let cached: DisclosureStandard | undefined;
/** The shipped default standard, loaded once. */
export function defaultStandard(): DisclosureStandard {
  cached ??= loadStandard();
  return cached;
}

/** The rule of a field, `never` when the standard does not name it (or the release type). */
export function ruleOf(standard: DisclosureStandard, type: ReleaseType, field: string): FieldRule {
  return standard.releaseTypes[type]?.[field] ?? { rule: 'never' };
}

/**
 * The finest level index the standard allows for a field with a ladder: the standard's `finest`
 * for a generalized field, and never below the catalog's floor — also for a published one (a
 * loaded standard cannot publish a field whose floor is above the ladder's first rung; this holds
 * even for a standard object that did not come through `parseStandard`).
 */
export function finestLevel(standard: DisclosureStandard, type: ReleaseType, field: string): number {
  const rule = ruleOf(standard, type, field);
  const spec = CATALOG[type][field];
  if (!spec?.ladder) return 0;
  const floor = floorIndex(spec.ladder, spec.floor);
  return rule.rule === 'generalize' ? Math.max(floor, levelIndex(spec.ladder, rule.finest)) : floor;
}

/** The name of the finest level allowed for a field with a ladder (for messages), or null. */
function finestName(standard: DisclosureStandard, type: ReleaseType, field: string): string | null {
  const ladder = CATALOG[type][field]?.ladder;
  return ladder ? (LADDERS[ladder][finestLevel(standard, type, field)] ?? null) : null;
}

/** Public content of a release: a list of entries and a few figures about the whole release. */
export type ContentValue = string | number | null;
export interface ReleaseContent {
  readonly items: readonly Readonly<Record<string, ContentValue>>[];
  readonly meta: Readonly<Record<string, ContentValue>>;
}

/**
 * Every way `content` breaks the standard, as `items[3].windowStart: finer than hour` (paths and
 * rules, never values). Empty when the content may be released.
 */
export function checkContent(standard: DisclosureStandard, type: ReleaseType, content: ReleaseContent): string[] {
  const out: string[] = [];
  const checkRecord = (where: string, record: Readonly<Record<string, unknown>>) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      out.push(`${where}: not an object`);
      return;
    }
    for (const [field, value] of Object.entries(record)) {
      const rule = ruleOf(standard, type, field);
      const at = `${where}.${field}`;
      if (rule.rule === 'never') out.push(`${at}: not published under the standard`);
      else if (rule.rule === 'suppress') {
        if (value !== null) out.push(`${at}: suppressed, must be null`);
      } else if (typeof value === 'object' && value !== null) out.push(`${at}: must be a plain value`);
      else {
        const ladder = CATALOG[type][field]?.ladder;
        if (!ladder) continue;
        const level = levelOfValue(ladder, value);
        if (level < 0) out.push(`${at}: not a value of the ${ladder} ladder`);
        else if (level < finestLevel(standard, type, field)) out.push(`${at}: finer than ${finestName(standard, type, field) ?? 'allowed'}`);
      }
    }
  };
  if (!Array.isArray(content.items)) out.push('items: not a list');
  else content.items.forEach((item, i) => checkRecord(`items[${i}]`, item));
  checkRecord('meta', content.meta);
  return out;
}
