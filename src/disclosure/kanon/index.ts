/** k-anonymity: hierarchies, optimal full-domain generalization with suppression, risk. */
export * from './apply.ts';
export * from './arx-files.ts';
export * from './builders.ts';
export * from './hierarchy.ts';
export { Lattice } from './lattice.ts';
export { attributeLosses, combinedLoss, lossWeights } from './loss.ts';
export type { LossWeights } from './loss.ts';
export * from './risk.ts';
export * from './search.ts';
export * from './table.ts';
