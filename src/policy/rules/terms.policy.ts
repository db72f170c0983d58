import { allow, always, anyPurpose, anyRole } from '../combinators.ts';

/** The confidentiality terms: everyone reads and accepts them (`update`), before anything else. */
export const termsRules = [
  allow(anyRole, ['read', 'update'], 'terms', anyPurpose, always),
];
