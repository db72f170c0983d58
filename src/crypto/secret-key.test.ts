import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import util from 'node:util';
import { DataKey, IndexKey, KEY_BYTES, RootKey, SystemKey, TokenKey } from './secret-key.ts';
import type { AnyKey } from './secret-key.ts';

/** Recognizable key bytes, so that any leak of them (in any common encoding) is found. */
const BYTES = Buffer.from(Array.from({ length: KEY_BYTES }, (_, i) => (0xa5 ^ (i * 37)) & 0xff));

const makers: [string, (b: Uint8Array) => AnyKey][] = [
  ['RootKey', (b) => new RootKey(3, b)],
  ['DataKey', (b) => new DataKey(b)],
  ['IndexKey', (b) => new IndexKey(b)],
  ['TokenKey', (b) => new TokenKey(b)],
  ['SystemKey', (b) => new SystemKey(b)],
];

/** Encodings in which the key bytes could show up in a log line. */
function encodings(b: Buffer): string[] {
  const hex = b.toString('hex');
  return [
    hex,
    hex.toUpperCase(),
    b.toString('base64'),
    b.toString('base64').replace(/=+$/, ''),
    b.toString('base64url'),
    hex.slice(0, 16),
    b.subarray(0, 8).toString('hex').match(/../g)!.join(' '), // <Buffer a5 80 ...>
    Array.from(b.subarray(0, 6)).join(', '), // [ 165, 128, ... ] / Uint8Array(32) [ ... ]
    Array.from(b.subarray(0, 6)).join(','),
  ];
}

/** Whether the first bytes of the key appear, in order, as decimal numbers (`Uint8Array(32) [ 165, 128, ...`). */
function showsDecimalBytes(text: string, b: Buffer): boolean {
  const nums = (text.match(/\d+/g) ?? []).map(Number);
  const head = Array.from(b.subarray(0, 6));
  return nums.some((_, i) => head.every((v, j) => nums[i + j] === v));
}

/** Everything the key could be printed through, with one line each. */
function renderings(k: AnyKey): [string, string][] {
  const captured: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { captured.push(String(chunk)); done(); } });
  const logger = new Console({ stdout: sink, stderr: sink, colorMode: false });
  logger.log(k);
  logger.log({ k });
  logger.log('%o', k);
  logger.log('%O', { k });
  logger.log('%s', k);
  logger.log('%j', { k });
  logger.error([k]);
  logger.dir(k, { showHidden: true, depth: null });
  logger.table([{ k }]);
  return [
    ['JSON.stringify({k})', JSON.stringify({ k })],
    ['JSON.stringify(k)', JSON.stringify(k)],
    ['String(k)', String(k)],
    ['template literal', `${k}`],
    ["'' + k", '' + k],
    ['util.inspect(k)', util.inspect(k)],
    ['util.inspect(k, showHidden)', util.inspect(k, { showHidden: true, depth: Infinity, getters: true })],
    ['util.inspect({k})', util.inspect({ k })],
    ["util.format('%o', k)", util.format('%o', k)],
    ["util.format('%O', k)", util.format('%O', k)],
    ["util.format('%j', k)", util.format('%j', k)],
    ["util.format('%j', {k})", util.format('%j', { k })],
    ["util.format('%s', k)", util.format('%s', k)],
    ['util.format(k)', util.format(k)],
    ['console output', captured.join('')],
  ];
}

describe('secret keys never print their bytes', () => {
  for (const [name, make] of makers) {
    it(`${name} shows [REDACTED] everywhere and no encoding of its bytes`, () => {
      const k = make(BYTES);
      assert.ok(k.exposeBytes().equals(BYTES), 'the key holds the bytes it was given');
      const leaks = encodings(BYTES);
      for (const [how, text] of renderings(k)) {
        assert.match(text, /\[REDACTED\]/, `${how} does not say [REDACTED]: ${text}`);
        for (const leak of leaks) assert.ok(!text.includes(leak), `${how} shows the key bytes (${leak}): ${text}`);
        assert.ok(!showsDecimalBytes(text, BYTES), `${how} shows the key bytes as numbers: ${text}`);
      }
      assert.ok(showsDecimalBytes(util.inspect(new Uint8Array(BYTES)), BYTES), 'the decimal leak detector works');
      assert.ok(leaks.some((leak) => util.inspect(BYTES).includes(leak)), 'the hex leak detector works');
      assert.equal(JSON.stringify({ k }), '{"k":"[REDACTED]"}');
      assert.equal(String(k), '[REDACTED]');
      assert.equal(util.inspect(k), `${name} [REDACTED]`);
    });
  }

  it('holds its own copy of the bytes (changing the input afterwards changes nothing)', () => {
    const input = Buffer.from(BYTES);
    const k = new DataKey(input);
    input.fill(0);
    assert.ok(k.exposeBytes().equals(BYTES));
  });

  it('has no enumerable own properties that could carry the bytes', () => {
    for (const [, make] of makers) {
      const k = make(BYTES);
      for (const key of Reflect.ownKeys(k)) {
        const v = (k as unknown as Record<PropertyKey, unknown>)[key];
        assert.ok(!(v instanceof Uint8Array), `own property ${String(key)} holds bytes`);
      }
      assert.deepEqual(Object.keys(k).filter((p) => p !== 'version'), []);
    }
  });
});

describe('secret keys reject wrong input', () => {
  for (const [name, make] of makers) {
    it(`${name} accepts exactly ${KEY_BYTES} bytes`, () => {
      for (const n of [0, 1, 16, 24, 31, 33, 64]) assert.throws(() => make(Buffer.alloc(n)), TypeError, `${name} accepted ${n} bytes`);
      assert.throws(() => make('a'.repeat(KEY_BYTES) as unknown as Uint8Array), TypeError);
      assert.throws(() => make(Array.from(BYTES) as unknown as Uint8Array), TypeError);
      assert.throws(() => make(null as unknown as Uint8Array), TypeError);
      assert.doesNotThrow(() => make(new Uint8Array(KEY_BYTES)));
    });
  }

  it('RootKey needs a positive integer version', () => {
    for (const v of [0, -1, 1.5, Number.NaN, Infinity]) assert.throws(() => new RootKey(v, BYTES), TypeError, `version ${v} accepted`);
    assert.equal(new RootKey(1, BYTES).version, 1);
  });
});
