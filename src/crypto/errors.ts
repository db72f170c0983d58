/** Errors raised by src/crypto. Every decryption failure is the same error, so a failure reveals nothing. */
export type CryptoErrorCode = 'ERR_DECRYPTION_FAILED' | 'ERR_KEY_FILE' | 'ERR_KEY_UNKNOWN' | 'ERR_PASSPHRASE';

export class CryptoError extends Error {
  constructor(readonly code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'CryptoError';
  }
}

/** One error for every way an envelope can fail to open: wrong key, wrong binding, truncation, tampering. */
export class DecryptionError extends CryptoError {
  constructor() {
    super('ERR_DECRYPTION_FAILED', 'decryption failed');
    this.name = 'DecryptionError';
  }
}
