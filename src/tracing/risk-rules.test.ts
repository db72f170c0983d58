import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RISK_RULES, evaluateRisk, parseRiskRules, reasonLabel } from './risk-rules.ts';
import type { RiskFacts, RiskLevel } from './risk-rules.ts';
import type { Classification } from '../domain/model.ts';

interface Person { cases?: Classification[]; contact?: 'in_quarantine' | 'done'; secondary?: boolean; areas?: RiskLevel[] }

/** Facts of a person, counting which were asked. */
function facts(p: Person, asked: string[] = []): RiskFacts {
  return {
    caseClassifications: async () => { asked.push('cases'); return p.cases ?? []; },
    closeContact: async () => { asked.push('contact'); return { any: p.contact !== undefined, inQuarantine: p.contact === 'in_quarantine' }; },
    secondaryContact: async () => { asked.push('secondary'); return p.secondary === true; },
    riskAreaStays: async () => { asked.push('areas'); return new Set(p.areas ?? []); },
  };
}

describe('risk status rules', () => {
  it('applies the documented defaults in order: confirmed red, quarantined contact red, secondary or high-risk stay yellow, else green', async () => {
    const cases: [Person, string, string][] = [
      [{ cases: ['confirmed'], secondary: true }, 'red', 'confirmed_case'],
      [{ cases: ['suspected'], contact: 'in_quarantine' }, 'red', 'close_contact_in_quarantine'],
      [{ contact: 'done', secondary: true }, 'yellow', 'secondary_contact'],
      [{ areas: ['high'] }, 'yellow', 'high_risk_area_stay'],
      [{ areas: ['medium'] }, 'green', 'no_risk_found'],
      [{ cases: ['excluded'], contact: 'done' }, 'green', 'no_risk_found'],
    ];
    for (const [p, status, reason] of cases) {
      const r = await evaluateRisk(DEFAULT_RISK_RULES, facts(p));
      assert.deepEqual([r.status, r.reason], [status, reason], JSON.stringify(p));
    }
  });

  it('asks only for the facts it needs, in rule order (a confirmed case opens nothing else)', async () => {
    const asked: string[] = [];
    await evaluateRisk(DEFAULT_RISK_RULES, facts({ cases: ['confirmed'] }, asked));
    assert.deepEqual(asked, ['cases']);
    const all: string[] = [];
    await evaluateRisk(DEFAULT_RISK_RULES, facts({}, all));
    assert.deepEqual(all, ['cases', 'contact', 'secondary', 'areas'], 'each fact once');
  });

  it('takes other rule sets, with conditions combined by and, and refuses malformed ones naming the field', async () => {
    const rules = parseRiskRules({
      version: 1,
      rules: [
        { id: 'positive', status: 'red', when: { caseClassification: ['confirmed', 'asymptomatic'] }, label: { en: 'positive', zh: '阳性' } },
        { id: 'contact_and_area', status: 'red', when: { closeContact: 'any', riskAreaStay: 'medium' }, label: { en: 'x', zh: 'x' } },
        { id: 'suspected', status: 'yellow', when: { caseClassification: ['suspected'] }, label: { en: 'suspected', zh: '疑似' } },
      ],
      otherwise: { id: 'none', status: 'green', label: { en: 'none', zh: '无' } },
    });
    assert.equal((await evaluateRisk(rules, facts({ cases: ['asymptomatic'] }))).status, 'red');
    assert.equal((await evaluateRisk(rules, facts({ contact: 'done' }))).reason, 'none');
    assert.equal((await evaluateRisk(rules, facts({ contact: 'done', areas: ['medium'] }))).reason, 'contact_and_area');
    assert.deepEqual(reasonLabel(rules, 'suspected'), { en: 'suspected', zh: '疑似' });
    const bad = (v: unknown, path: string) => assert.throws(() => parseRiskRules(v), (e: { issues: { path: (string | number)[] }[] }) => e.issues.some((i) => i.path.join('.').startsWith(path)));
    bad({ ...DEFAULT_RISK_RULES, rules: [{ id: 'x', status: 'purple', when: { secondaryContact: true }, label: { en: 'a', zh: 'a' } }] }, 'rules.0.status');
    bad({ ...DEFAULT_RISK_RULES, rules: [{ id: 'x', status: 'red', when: {}, label: { en: 'a', zh: 'a' } }] }, 'rules.0.when');
    bad({ ...DEFAULT_RISK_RULES, rules: [{ id: 'x', status: 'red', when: { wearsHat: true }, label: { en: 'a', zh: 'a' } }] }, 'rules.0.when');
    bad({ ...DEFAULT_RISK_RULES, otherwise: { ...DEFAULT_RISK_RULES.otherwise, id: 'confirmed_case' } }, 'rules');
  });
});
