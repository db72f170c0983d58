import type { Config } from '../config/config.ts';
import { BEIJING_DISTRICTS } from '../domain/divisions.ts';
import type { Role } from '../domain/roles.ts';
import { insertAccount, summarize } from './accounts.service.ts';
import type { AccountSummary } from './accounts.service.ts';
import { openApp } from './app-context.ts';
import type { AppContext } from './app-context.ts';
import { appendAudit } from './audit.service.ts';
import { ServiceError } from './errors.ts';

/**
 * DEMO ONLY. The demo staff accounts that `npm start` creates in the demo data directory: one per
 * role, with fixed, published passwords and TOTP secrets, so that anyone trying Epivault can sign
 * in at once. They exist only in a data directory that `npm start` itself initialized for the demo
 * city (marked in `meta` as `demo_data_dir`); `epivault init` never sets that mark, so a real
 * deployment never gets them. They need no password change (demo = 1) but do have to accept the
 * confidentiality terms like everyone else.
 */
export const DEMO_DATA_DIR_MARK = 'demo_data_dir';
/** How many demo cases the demo investigator and tracer are assigned. */
export const DEMO_ASSIGNED_CASES = 5;

interface DemoAccountSpec {
  readonly username: string;
  readonly role: Role;
  /** 'district': the demo city's district with the most cases; otherwise a division code. */
  readonly jurisdiction: 'district' | string;
  readonly password: string;
  readonly totpSecret: string;
}

// Published on purpose: these credentials are printed by `npm start` and are worthless outside the demo.
export const DEMO_ACCOUNTS: readonly DemoAccountSpec[] = [
  { username: 'demo-investigator', role: 'investigator', jurisdiction: 'district', password: 'DEMO-ONLY-investigator-2026', totpSecret: 'NF7GPHDWWL6IK7FHRVBV25PRL6RAVIZK' },
  { username: 'demo-tracer', role: 'tracer', jurisdiction: 'district', password: 'DEMO-ONLY-tracer-2026', totpSecret: 'L6YW2GMKKIIAOGZWX5F2KKIQGM73HC2N' },
  { username: 'demo-supervisor', role: 'supervisor', jurisdiction: '11', password: 'DEMO-ONLY-supervisor-2026', totpSecret: 'TSJP7EXX6DBTUAE5XQ2HAVMHP3HCHN4L' },
  { username: 'demo-disclosure', role: 'disclosure_officer', jurisdiction: '11', password: 'DEMO-ONLY-disclosure-2026', totpSecret: 'X5AXIMJYK3W2ANNUSUJ64KN77W2VSKOG' },
  { username: 'demo-approver', role: 'approver', jurisdiction: '11', password: 'DEMO-ONLY-approver-2026', totpSecret: '6PCVKA7DNOZYK5LLNHZQ5H4EUZ22YZOD' },
  { username: 'demo-auditor', role: 'auditor', jurisdiction: '11', password: 'DEMO-ONLY-auditor-2026', totpSecret: '6HSGBVLDJ7JFASFEZVR3VQ2UM67QP5B4' },
  { username: 'demo-dpo', role: 'data_protection_officer', jurisdiction: '11', password: 'DEMO-ONLY-dpo-2026', totpSecret: 'HVOGF3SCCTL76KYNHXLAXTAE5PUDDFCB' },
  { username: 'demo-admin', role: 'administrator', jurisdiction: '11', password: 'DEMO-ONLY-admin-2026', totpSecret: 'PCOHGORDNBIPOWRETVJUDIFUVITYDMZM' },
];

export interface DemoAccount {
  readonly account: AccountSummary;
  readonly password: string;
  readonly totpSecret: string;
  readonly assignedCases: number;
}

/** Marks a data directory that `npm start` has just initialized as the demo's. */
export async function markDemoDataDir(config: Config): Promise<void> {
  const ctx = await openApp(config);
  try {
    await ctx.store.system.setMeta(DEMO_DATA_DIR_MARK, '1');
  } finally {
    await ctx.close();
  }
}

/**
 * Creates the missing demo accounts (assigning the investigator and tracer a few cases of their
 * district) and returns all of them with their credentials, or null when this is not the demo
 * data directory.
 */
export async function ensureDemoAccountsIn(ctx: AppContext, now = new Date()): Promise<DemoAccount[] | null> {
  if ((await ctx.store.system.getMeta(DEMO_DATA_DIR_MARK)) !== '1') return null;
  const district = (await ctx.store.staff.busiestCaseDistrict()) ?? BEIJING_DISTRICTS[0]!;
  const at = now.toISOString();
  const out: DemoAccount[] = [];
  for (const spec of DEMO_ACCOUNTS) {
    const result = await ctx.store.transaction(async (repos) => {
      const existing = await repos.staff.accountByUsername(spec.username);
      if (existing && existing.demo !== 1) throw new ServiceError('ERR_CONFLICT', `account ${spec.username} exists and is not a demo account`, 'username');
      let assigned = 0;
      const account = existing ? summarize(existing) : (await insertAccount(repos, ctx.keys, ctx.actor,
        { username: spec.username, role: spec.role, jurisdiction: spec.jurisdiction === 'district' ? district : spec.jurisdiction, demo: true }, now,
        { password: spec.password, totpSecret: spec.totpSecret, mustChangePassword: false })).account;
      if (!existing && spec.jurisdiction === 'district') {
        for (const caseId of await repos.staff.caseIdsInDistrict(account.jurisdiction, DEMO_ASSIGNED_CASES)) {
          if (await repos.access.assign(caseId, account.id, at)) {
            assigned++;
            await appendAudit(repos, ctx.keys, ctx.actor, { action: 'assign', resourceType: 'case', resourceId: caseId, purpose: 'administration', reason: `demo account ${account.id}`, outcome: 'success' }, at);
          }
        }
      }
      return { account, assigned };
    });
    out.push({ account: result.account, password: spec.password, totpSecret: spec.totpSecret, assignedCases: result.assigned });
  }
  return out;
}
