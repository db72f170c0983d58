import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateTotpSecret, TOTP_ENROLMENT, totpCode, totpCodeForStep, totpStep, totpUri, verifyTotp } from './totp.ts';
import type { TotpAlgorithm, TotpParams } from './totp.ts';

/** RFC 6238 Appendix B: the 18 test vectors (T0 = 0, X = 30 s, 8 digits), with the seeds of the reference implementation. */
const SEEDS: Record<TotpAlgorithm, string> = {
  sha1: '12345678901234567890',
  sha256: '12345678901234567890123456789012',
  sha512: '1234567890123456789012345678901234567890123456789012345678901234',
};
const VECTORS: readonly [number, string, TotpAlgorithm][] = [
  [59, '94287082', 'sha1'], [59, '46119246', 'sha256'], [59, '90693936', 'sha512'],
  [1111111109, '07081804', 'sha1'], [1111111109, '68084774', 'sha256'], [1111111109, '25091201', 'sha512'],
  [1111111111, '14050471', 'sha1'], [1111111111, '67062674', 'sha256'], [1111111111, '99943326', 'sha512'],
  [1234567890, '89005924', 'sha1'], [1234567890, '91819424', 'sha256'], [1234567890, '93441116', 'sha512'],
  [2000000000, '69279037', 'sha1'], [2000000000, '90698825', 'sha256'], [2000000000, '38618901', 'sha512'],
  [20000000000, '65353130', 'sha1'], [20000000000, '77737706', 'sha256'], [20000000000, '47863826', 'sha512'],
];
const rfc = (algorithm: TotpAlgorithm): TotpParams => ({ algorithm, digits: 8, periodSeconds: 30 });
const seed = (a: TotpAlgorithm) => new TextEncoder().encode(SEEDS[a]);

describe('TOTP (RFC 6238)', () => {
  it('computes all 18 RFC 6238 Appendix B vectors', async () => {
    assert.equal(VECTORS.length, 18);
    for (const [t, code, algorithm] of VECTORS) {
      assert.equal(await totpCode(seed(algorithm), t * 1000, rfc(algorithm)), code, `${algorithm} at T=${t}`);
    }
  });

  it('verifies the vectors at their time and returns the RFC time step', async () => {
    for (const [t, code, algorithm] of VECTORS) {
      assert.equal(await verifyTotp(seed(algorithm), code, t * 1000, { params: rfc(algorithm) }), Math.floor(t / 30), `${algorithm} at T=${t}`);
    }
  });

  it('accepts the previous, current and next step and nothing further', async () => {
    const secret = generateTotpSecret();
    const at = Date.parse('2026-12-01T08:00:10Z');
    const step = totpStep(at);
    for (const d of [-1, 0, 1]) assert.equal(await verifyTotp(secret, await totpCodeForStep(secret, step + d), at), step + d, `step ${d}`);
    for (const d of [-3, -2, 2, 3]) assert.equal(await verifyTotp(secret, await totpCodeForStep(secret, step + d), at), null, `step ${d}`);
  });

  it('refuses a replayed step: any step at or before the last one accepted', async () => {
    const secret = generateTotpSecret();
    const at = Date.parse('2026-12-01T08:00:10Z');
    const step = totpStep(at);
    const code = await totpCode(secret, at);
    assert.equal(await verifyTotp(secret, code, at, { afterStep: step - 1 }), step);
    assert.equal(await verifyTotp(secret, code, at, { afterStep: step }), null, 'same step again');
    assert.equal(await verifyTotp(secret, code, at, { afterStep: step + 1 }), null, 'a later step was already used');
    assert.equal(await verifyTotp(secret, await totpCodeForStep(secret, step - 1), at, { afterStep: step }), null, 'an older code');
    assert.equal(await verifyTotp(secret, await totpCodeForStep(secret, step + 1), at, { afterStep: step }), step + 1, 'the next step is still good');
  });

  it('never throws on malformed codes', async () => {
    const secret = generateTotpSecret();
    for (const bad of ['', '12345', '1234567', 'abcdef', '12 34 5x', '１２３４５６', undefined as unknown as string, 123456 as unknown as string]) {
      assert.equal(await verifyTotp(secret, bad, Date.now()), null, String(bad));
    }
    const code = await totpCode(secret, Date.now());
    assert.equal(await verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, Date.now()) !== null, true, 'a space in the middle is allowed');
  });

  it('enrols with SHA-1, 6 digits, 30 s, a 20-byte random secret and an otpauth URI naming the issuer', async () => {
    assert.deepEqual(TOTP_ENROLMENT, { algorithm: 'sha1', digits: 6, periodSeconds: 30 });
    const a = generateTotpSecret();
    const b = generateTotpSecret();
    assert.match(a, /^[A-Z2-7]{32}$/);
    assert.notEqual(a, b);
    assert.match(await totpCode(a, Date.now()), /^\d{6}$/);
    const uri = new URL(totpUri(a, 'demo-investigator'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/Epivault:demo-investigator');
    assert.equal(uri.searchParams.get('secret'), a);
    assert.equal(uri.searchParams.get('issuer'), 'Epivault');
  });
});
