import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dummyVerifyPassword, hashPassword, MAX_PASSWORD_CHARS, passwordHashNeedsUpgrade, verifyPassword } from './password.ts';

describe('password hashing (Argon2id)', () => {
  it('round-trips, refuses a wrong password, and stores a PHC string with the OWASP parameters', async () => {
    const phc = await hashPassword('correct horse battery staple');
    assert.match(phc, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.equal(phc.includes('correct horse'), false);
    assert.equal(await verifyPassword(phc, 'correct horse battery staple'), true);
    assert.equal(await verifyPassword(phc, 'correct horse battery stapl'), false);
    assert.equal(await verifyPassword(phc, 'Correct horse battery staple'), false);
    assert.equal(await verifyPassword(phc, ''), false);
    assert.equal(passwordHashNeedsUpgrade(phc), false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password twice'), hashPassword('same password twice')]);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword(b, 'same password twice'), true);
  });

  it('normalizes to NFKC, so the same password from another input method verifies', async () => {
    const phc = await hashPassword('ﬁsh and chips 123'); // U+FB01 LATIN SMALL LIGATURE FI
    assert.equal(await verifyPassword(phc, 'fish and chips 123'), true);
    const composed = await hashPassword('caf\u00e9 au lait 2026');
    assert.equal(await verifyPassword(composed, 'cafe\u0301 au lait 2026'), true);
  });

  it('answers false, never throws, for malformed hashes, over-long input and non-strings', async () => {
    assert.equal(await verifyPassword('not a hash', 'whatever it is'), false);
    assert.equal(await verifyPassword('$argon2id$v=19$m=19456,t=2,p=1$AAAA$BBBB', 'whatever it is'), false);
    const phc = await hashPassword('a long enough password');
    assert.equal(await verifyPassword(phc, 'x'.repeat(MAX_PASSWORD_CHARS + 1)), false);
    assert.equal(await verifyPassword(phc, undefined as unknown as string), false);
    await assert.rejects(hashPassword(''), RangeError);
    await assert.rejects(hashPassword('x'.repeat(MAX_PASSWORD_CHARS + 1)), RangeError);
  });

  it('the dummy verification is always false and costs about what a real one costs', async () => {
    const phc = await hashPassword('a long enough password');
    assert.equal(await dummyVerifyPassword('a long enough password'), false);
    const time = async (fn: () => Promise<unknown>) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 3; i++) await fn();
      return Number(process.hrtime.bigint() - t0) / 3e6;
    };
    const real = await time(() => verifyPassword(phc, 'wrong password here'));
    const dummy = await time(() => dummyVerifyPassword('wrong password here'));
    // Same parameters, same work: within a factor of 3 even on a busy machine (a real/dummy gap would be 100×).
    assert.ok(dummy > real / 3 && dummy < real * 3, `real ${real.toFixed(1)} ms, dummy ${dummy.toFixed(1)} ms`);
  });

  it('flags weaker stored parameters for upgrade', () => {
    assert.equal(passwordHashNeedsUpgrade('$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaA'), true);
    assert.equal(passwordHashNeedsUpgrade('$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA'), true);
    assert.equal(passwordHashNeedsUpgrade('$2b$12$abcdefghijklmnopqrstuv'), true);
  });
});
