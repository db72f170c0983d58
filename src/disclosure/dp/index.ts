/** Differential privacy: exact discrete Laplace noise, consistent counts, the budget ledger. */
export * from './budget-ledger.ts';
export * from './chi-square.ts';
export * from './consistent-counts.ts';
export * from './daily-counts.ts';
export * from './discrete-laplace.ts';
