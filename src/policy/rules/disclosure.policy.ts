import { allow, and, inJurisdiction, isOwner, isRecord, not, purposeIs } from '../combinators.ts';

const disclosure = purposeIs('disclosure');

/**
 * Releases (issue #6, docs/DISCLOSURE-STANDARD.md "Workflow"). A release's facts: its
 * jurisdiction, and as owner the account that prepared it. Releases hold only de-identified,
 * checked data, so they are not personal data; reading the cases they are built from happens
 * inside the release service, only for an allowed `create`.
 *
 * - a disclosure officer prepares (create), lists and reads releases of their subtree, publishes
 *   an approved one or withdraws one (update), and hands a research extract to its recipient (export);
 * - an approver lists, reads and withdraws them, and approves (review, with a reason) one that
 *   another account prepared: nobody approves their own release (four eyes).
 */
export const disclosureRules = [
  allow('disclosure_officer', ['list', 'read', 'create', 'update', 'export'], 'release', disclosure, inJurisdiction),
  allow('approver', ['list', 'read', 'update'], 'release', disclosure, inJurisdiction),
  allow('approver', 'review', 'release', disclosure, and(isRecord, inJurisdiction, not(isOwner))),
];
