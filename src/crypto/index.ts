/** The crypto layer's public surface. Nothing outside src/crypto imports node:crypto. */
export * from './aead.ts';
export * from './blind-index.ts';
export * from './errors.ts';
export * from './key-wrap.ts';
export * from './mac.ts';
export { pooledRandom, randomId, shuffleSecure, timeOrderedId, timeOrderedIdRandomPart } from './random.ts';
export * from './digest.ts';
export * from './root-keyring.ts';
export * from './secret-key.ts';
export * from './signing.ts';
export * from './tokens.ts';
export * from './tree-hash.ts';
export * from './password.ts';
export * from './session-token.ts';
export * from './totp.ts';
export { cryptoUniform, MAX_UNIFORM_BOUND, randomBelow } from './uniform.ts';
