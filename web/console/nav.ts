/**
 * The console's pages per role (docs/ACCESS.md): the header shows only the pages the signed-in
 * role can use, and sign-in lands on the first of them. This only hides what would be refused:
 * the server decides every request again, and a page opened by its address shows the server's
 * "not found or no access" answer.
 *
 * The supervision and audit pages, and the supervisors' hand-overs and risk areas (issue #5), live
 * under `/supervisor/…` because that is a prefix the server serves the console at
 * (src/http/console.plugin.ts CONSOLE_ROUTES).
 */
import type { MessageKey } from './i18n.ts';

export const PATHS = {
  cases: '/cases',
  assignments: '/assignments',
  search: '/search',
  newCase: '/cases/new',
  followUp: '/quarantines',
  clusters: '/clusters',
  supervisorAssignments: '/supervisor/assignments',
  breakGlass: '/supervisor/break-glass',
  handovers: '/supervisor/handovers',
  riskAreas: '/supervisor/risk-areas',
  alerts: '/supervisor/alerts',
  activity: '/supervisor/activity',
  auditLog: '/supervisor/audit-log',
  releases: '/releases',
  newRelease: '/releases/new',
} as const;

export interface NavEntry {
  readonly href: string;
  readonly label: MessageKey;
  readonly roles: readonly string[];
}

/** Roles that work with personal data (cases, subjects, contacts); auditors, the DPO and administrators never do. */
const CASE_ROLES = ['investigator', 'tracer', 'supervisor'];
/** Roles that read supervision alerts and the per-staff activity report (purpose `audit`). */
const SUPERVISION_ROLES = ['supervisor', 'auditor', 'data_protection_officer'];

export const NAV: readonly NavEntry[] = [
  { href: PATHS.cases, label: 'nav.cases', roles: CASE_ROLES },
  { href: PATHS.assignments, label: 'nav.assignments', roles: ['investigator', 'tracer'] },
  { href: PATHS.followUp, label: 'nav.followUp', roles: CASE_ROLES },
  /** The roles the policy lets read transmission chains (src/policy/rules/tracing.policy.ts). */
  { href: PATHS.clusters, label: 'nav.clusters', roles: CASE_ROLES },
  { href: PATHS.search, label: 'nav.search', roles: CASE_ROLES },
  { href: PATHS.newCase, label: 'nav.newCase', roles: CASE_ROLES },
  { href: PATHS.supervisorAssignments, label: 'nav.supervisorAssignments', roles: ['supervisor'] },
  { href: PATHS.breakGlass, label: 'nav.breakGlass', roles: ['supervisor'] },
  { href: PATHS.handovers, label: 'nav.handovers', roles: ['supervisor'] },
  { href: PATHS.riskAreas, label: 'nav.riskAreas', roles: ['supervisor'] },
  { href: PATHS.alerts, label: 'nav.alerts', roles: SUPERVISION_ROLES },
  { href: PATHS.activity, label: 'nav.activity', roles: SUPERVISION_ROLES },
  { href: PATHS.auditLog, label: 'nav.auditLog', roles: ['auditor', 'data_protection_officer'] },
  { href: PATHS.releases, label: 'nav.releases', roles: ['disclosure_officer', 'approver'] },
  { href: PATHS.newRelease, label: 'nav.newRelease', roles: ['disclosure_officer'] },
];

/** The navigation entries of a role. */
export const navFor = (role: string): NavEntry[] => NAV.filter((e) => e.roles.includes(role));

/** Where a role lands after sign-in: its first page (the case list for roles without any page here). */
export function homePath(role: string): string {
  if (role === 'auditor' || role === 'data_protection_officer') return PATHS.auditLog;
  return navFor(role)[0]?.href ?? PATHS.cases;
}
