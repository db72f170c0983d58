/**
 * Risk status (green / yellow / red) from declarative rules (src/tracing/risk-rules.json, described
 * in docs/TRACING.md). A rule set is an ordered list: the first rule whose conditions all hold gives
 * the status, and its id is the reason shown to staff; `otherwise` applies when none holds. Facts
 * are asked for lazily, in rule order, so that a confirmed case is red without anyone's travel
 * being opened. Pure: the facts come from the caller.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CLASSIFICATIONS } from '../domain/model.ts';
import type { Classification } from '../domain/model.ts';

export const RISK_STATUSES = ['green', 'yellow', 'red'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];
export const RISK_LEVELS = ['high', 'medium'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

const Label = z.strictObject({ en: z.string().min(1).max(200), zh: z.string().min(1).max(200) });
const RuleId = z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'must be a lower-case code: letters, digits, _');

const Conditions = z.strictObject({
  caseClassification: z.array(z.enum(CLASSIFICATIONS)).min(1).optional(),
  closeContact: z.enum(['in_quarantine', 'any']).optional(),
  secondaryContact: z.literal(true).optional(),
  riskAreaStay: z.enum(RISK_LEVELS).optional(),
}).refine((c) => Object.keys(c).length > 0, { message: 'a rule needs at least one condition' });

export const RiskRulesSchema = z.strictObject({
  version: z.literal(1),
  description: z.string().optional(),
  rules: z.array(z.strictObject({ id: RuleId, status: z.enum(RISK_STATUSES), when: Conditions, label: Label })).max(50),
  otherwise: z.strictObject({ id: RuleId, status: z.enum(RISK_STATUSES), label: Label }),
}).refine((r) => new Set([...r.rules.map((x) => x.id), r.otherwise.id]).size === r.rules.length + 1, { message: 'rule ids must be unique', path: ['rules'] });

export type RiskRules = z.infer<typeof RiskRulesSchema>;
export type RiskConditions = z.infer<typeof Conditions>;

/** Parses and validates a rule set (a ZodError names the bad field). */
export function parseRiskRules(value: unknown): RiskRules {
  return RiskRulesSchema.parse(value);
}

/** Reads and validates a rule set from a JSON file. */
export function loadRiskRules(file: string | URL): RiskRules {
  return parseRiskRules(JSON.parse(readFileSync(file, 'utf8')));
}

/** The documented default rule set (src/tracing/risk-rules.json), read and validated once. */
export const DEFAULT_RISK_RULES: RiskRules = loadRiskRules(new URL('./risk-rules.json', import.meta.url));

/**
 * The rules in force: the file named by EPIVAULT_RISK_RULES if set (validated at start: a bad file
 * stops the process with the field named), else the defaults.
 */
export const ACTIVE_RISK_RULES: RiskRules = process.env.EPIVAULT_RISK_RULES ? loadRiskRules(process.env.EPIVAULT_RISK_RULES) : DEFAULT_RISK_RULES;

/** What the rules may ask about a person; each is asked at most once, and only if a rule needs it. */
export interface RiskFacts {
  caseClassifications(): Promise<readonly Classification[]>;
  closeContact(): Promise<{ readonly any: boolean; readonly inQuarantine: boolean }>;
  secondaryContact(): Promise<boolean>;
  riskAreaStays(): Promise<ReadonlySet<RiskLevel>>;
}

export interface RiskResult {
  readonly status: RiskStatus;
  /** The id of the rule that decided: the reason code staff see. */
  readonly reason: string;
  readonly label: { readonly en: string; readonly zh: string };
}

async function holds(when: RiskConditions, facts: RiskFacts): Promise<boolean> {
  if (when.caseClassification) {
    const own = await facts.caseClassifications();
    if (!own.some((c) => when.caseClassification!.includes(c))) return false;
  }
  if (when.closeContact) {
    const c = await facts.closeContact();
    if (!(when.closeContact === 'any' ? c.any : c.inQuarantine)) return false;
  }
  if (when.secondaryContact && !(await facts.secondaryContact())) return false;
  if (when.riskAreaStay && !(await facts.riskAreaStays()).has(when.riskAreaStay)) return false;
  return true;
}

/** The status the first matching rule gives (or `otherwise`). */
export async function evaluateRisk(rules: RiskRules, facts: RiskFacts): Promise<RiskResult> {
  const once = memoize(facts);
  for (const rule of rules.rules) {
    if (await holds(rule.when, once)) return { status: rule.status, reason: rule.id, label: rule.label };
  }
  return { status: rules.otherwise.status, reason: rules.otherwise.id, label: rules.otherwise.label };
}

/** The label of a reason code under these rules (for a stored status), or the code itself. */
export function reasonLabel(rules: RiskRules, reason: string): { en: string; zh: string } {
  const rule = rules.rules.find((r) => r.id === reason) ?? (rules.otherwise.id === reason ? rules.otherwise : undefined);
  return rule?.label ?? { en: reason, zh: reason };
}

function memoize(facts: RiskFacts): RiskFacts {
  const cache = new Map<string, Promise<unknown>>();
  const get = <T>(k: keyof RiskFacts): Promise<T> => {
    if (!cache.has(k)) cache.set(k, facts[k]());
    return cache.get(k) as Promise<T>;
  };
  return {
    caseClassifications: () => get('caseClassifications'),
    closeContact: () => get('closeContact'),
    secondaryContact: () => get('secondaryContact'),
    riskAreaStays: () => get('riskAreaStays'),
  };
}
