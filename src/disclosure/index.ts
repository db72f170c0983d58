/** Disclosure control: k-anonymity and re-identification risk, differential privacy. */
export * from './dp/index.ts';
export * from './kanon/index.ts';
export * from './rational.ts';
