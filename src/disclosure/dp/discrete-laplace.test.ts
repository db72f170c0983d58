/**
 * Statistical tests of the exact discrete Laplace sampler, on the real CSPRNG source.
 *
 * Method (docs/DISCLOSURE-STANDARD.md): for each scale σ = 1/ε with ε ∈ {0.1, 0.5, 1, 2},
 * 200,000 samples are binned (one bin per value with expected count ≥ 5, both tails pooled) and
 * compared with the exact pmf by Pearson's chi-square test; a scale fails if p < α = 1e-5. The
 * sample mean and variance are z-tested against 0 and 2e^(−1/σ)/(1 − e^(−1/σ))² at the same α
 * (|z| < 4.42). With about 19 checks at α = 1e-5 a correct sampler fails a run about once in
 * 5,000 runs; the power check shows that a 5 % error in the scale is rejected with p far below α.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoUniform, randomBelow } from '../../crypto/index.ts';
import { parseRational, rational } from '../rational.ts';
import { chiSquareTest, gammaQ } from './chi-square.ts';
import { bernoulli, bernoulliExp, discreteLaplacePmf, discreteLaplaceVariance, sampleDiscreteLaplace } from './discrete-laplace.ts';
import type { UniformSource } from './discrete-laplace.ts';

const ALPHA = 1e-5;
const Z_ALPHA = 4.42; // two-sided normal quantile for 1e-5
const SAMPLES = 200_000;

/** A source that checks every bound the sampler asks for is an exact integer in [1, 2^53]. */
const checked: UniformSource = {
  below(n) {
    assert.ok(Number.isSafeInteger(n) && n >= 1 && n <= 2 ** 53, `bound ${n}`);
    return randomBelow(n);
  },
};

describe('uniform integers from the CSPRNG', () => {
  it('stays in range and rejects bad bounds', () => {
    for (const n of [1, 2, 3, 7, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53]) {
      for (let i = 0; i < 200; i++) {
        const x = randomBelow(n);
        assert.ok(Number.isSafeInteger(x) && x >= 0 && x < n);
      }
    }
    for (const n of [0, -1, 1.5, 2 ** 53 + 2, Number.NaN]) assert.throws(() => randomBelow(n), RangeError);
    assert.equal(cryptoUniform.below(1), 0);
  });

  it('is uniform (chi-square over 6 and over 1,000 values)', () => {
    for (const n of [6, 1000]) {
      const samples = Array.from({ length: 100_000 }, () => randomBelow(n));
      const r = chiSquareTest(samples, (z) => (z >= 0 && z < n ? 1 / n : 0));
      assert.ok(r.pValue > ALPHA, `p = ${r.pValue}`);
    }
  });
});

describe('Bernoulli samplers (CKS Algorithm 1)', () => {
  it('Bernoulli(n/d) is true for exactly n of the d uniform outcomes', () => {
    for (const [n, d] of [[0, 1], [1, 1], [0, 5], [3, 5], [5, 5], [7, 10]] as const) {
      let hits = 0;
      for (let u = 0; u < d; u++) if (bernoulli(n, d, { below: () => u })) hits++;
      assert.equal(hits, n);
    }
  });

  it('Bernoulli(exp(−γ)) has frequency exp(−γ) for γ ∈ {0, 1/3, 1, 5/2, 7}', () => {
    for (const [n, d] of [[0, 1], [1, 3], [1, 1], [5, 2], [7, 1]] as const) {
      const p = Math.exp(-n / d);
      let hits = 0;
      for (let i = 0; i < SAMPLES; i++) if (bernoulliExp(n, d, checked)) hits++;
      if (n === 0) assert.equal(hits, SAMPLES);
      const z = (hits / SAMPLES - p) / Math.sqrt((p * (1 - p)) / SAMPLES || 1);
      assert.ok(Math.abs(z) < Z_ALPHA, `γ = ${n}/${d}: frequency ${hits / SAMPLES}, expected ${p}, z = ${z}`);
    }
    assert.throws(() => bernoulliExp(-1, 1, checked), RangeError);
    assert.throws(() => bernoulliExp(1, 2 ** 33, checked), RangeError);
  });
});

describe('discrete Laplace sampler (CKS Algorithm 2)', () => {
  it('chi-square math: known critical values', () => {
    assert.ok(Math.abs(gammaQ(0.5, 3.841459 / 2) - 0.05) < 1e-6);
    assert.ok(Math.abs(gammaQ(5, 18.307038 / 2) - 0.05) < 1e-6);
    assert.ok(Math.abs(gammaQ(5, 23.209251 / 2) - 0.01) < 1e-6);
    assert.ok(Math.abs(gammaQ(25, 67.504807 / 2) - 0.05) < 1e-6);
  });

  for (const eps of ['0.1', '0.5', '1', '2']) {
    it(`ε = ${eps} (σ = 1/ε): matches the exact pmf (chi-square), mean 0, exact variance`, () => {
      const epsilon = parseRational(eps);
      const scale = rational(epsilon.den, epsilon.num);
      const sigma = Number(scale.num) / Number(scale.den);
      const samples = Array.from({ length: SAMPLES }, () => sampleDiscreteLaplace(scale, checked));
      assert.ok(samples.every(Number.isSafeInteger));
      const r = chiSquareTest(samples, (z) => discreteLaplacePmf(z, sigma));
      assert.ok(r.pValue > ALPHA, `σ = ${sigma}: χ² = ${r.statistic.toFixed(1)}, df = ${r.degreesOfFreedom}, p = ${r.pValue}`);
      const variance = discreteLaplaceVariance(sigma);
      const mean = samples.reduce((s, x) => s + x, 0) / SAMPLES;
      assert.ok(Math.abs(mean / Math.sqrt(variance / SAMPLES)) < Z_ALPHA, `mean ${mean}`);
      // Var of the sample variance: (μ4 − σ⁴)/n; μ4 of the discrete Laplace computed from its pmf.
      let mu4 = 0;
      for (let z = -Math.ceil(60 * sigma); z <= 60 * sigma; z++) mu4 += z ** 4 * discreteLaplacePmf(z, sigma);
      const sampleVariance = samples.reduce((s, x) => s + x * x, 0) / SAMPLES - mean * mean;
      const zVar = (sampleVariance - variance) / Math.sqrt((mu4 - variance * variance) / SAMPLES);
      assert.ok(Math.abs(zVar) < Z_ALPHA, `σ = ${sigma}: variance ${sampleVariance} vs ${variance} (z = ${zVar})`);
    });
  }

  it('the test has power: samples of scale 2 are rejected against the pmf of scale 2.1', () => {
    const samples = Array.from({ length: SAMPLES }, () => sampleDiscreteLaplace(rational(2)));
    const r = chiSquareTest(samples, (z) => discreteLaplacePmf(z, 2.1));
    assert.ok(r.pValue < ALPHA, `p = ${r.pValue}`);
  });

  it('accepts only positive scales with parts up to 2^32', () => {
    assert.throws(() => sampleDiscreteLaplace(rational(0)), RangeError);
    assert.throws(() => sampleDiscreteLaplace(rational(2n ** 33n)), RangeError);
    assert.throws(() => sampleDiscreteLaplace(rational(1n, 2n ** 33n)), RangeError);
    assert.ok(Number.isSafeInteger(sampleDiscreteLaplace(rational(2n ** 32n, 3n))));
  });
});
