import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CryptoError } from './errors.ts';
import type { CryptoErrorCode } from './errors.ts';
import { generateKey, unwrapKey, wrapKey } from './key-wrap.ts';
import { createRootKeyFile, importEncryptedRootKeys, RootKeyring } from './root-keyring.ts';

const scratch = mkdtempSync(join(tmpdir(), 'epivault-keyring-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
/** A fresh directory for one test. */
const dir = () => mkdtempSync(join(scratch, 'case-'));
const modeOf = (path: string) => statSync(path).mode & 0o777;

function cryptoError(code: CryptoErrorCode) {
  return (e: unknown): true => {
    assert.ok(e instanceof CryptoError, `expected CryptoError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

/** Base64 (and hex) of every key in a key file, read straight from the file. */
function keyMaterial(path: string): string[] {
  const file = JSON.parse(readFileSync(path, 'utf8')) as { keys: { key: string }[] };
  return file.keys.flatMap((k) => [k.key, Buffer.from(k.key, 'base64').toString('hex'), Buffer.from(k.key, 'base64').toString('base64url')]);
}

/**
 * Whether version `v` holds the same key in both keyrings: a key wrapped under one unwraps under
 * the other (the bytes themselves are private), in both directions.
 */
function sameRootKey(a: RootKeyring, b: RootKeyring, v: number): boolean {
  const key = generateKey('system');
  try {
    const k1 = unwrapKey(b.get(v), 'system', 'probe', wrapKey(a.get(v), 'system', 'probe', key));
    const k2 = unwrapKey(a.get(v), 'system', 'probe', wrapKey(b.get(v), 'system', 'probe', key));
    return k1.exposeBytes().equals(key.exposeBytes()) && k2.exposeBytes().equals(key.exposeBytes());
  } catch {
    return false;
  }
}

describe('createRootKeyFile', () => {
  it('writes a version-1 key file with mode 0600', () => {
    const path = join(dir(), 'root.key');
    createRootKeyFile(path);
    assert.equal(modeOf(path), 0o600);
    const ring = RootKeyring.fromFile(path);
    assert.deepEqual(ring.versions, [1]);
    assert.equal(ring.currentVersion, 1);
    assert.equal(ring.current().version, 1);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { format: string; current: number; keys: { version: number; key: string }[] };
    assert.equal(file.format, 'epivault-root-key/1');
    assert.equal(Buffer.from(file.keys[0]!.key, 'base64').length, 32);
  });

  it('makes a different key every time', () => {
    const d = dir();
    createRootKeyFile(join(d, 'a.key'));
    createRootKeyFile(join(d, 'b.key'));
    assert.ok(!sameRootKey(RootKeyring.fromFile(join(d, 'a.key')), RootKeyring.fromFile(join(d, 'b.key')), 1));
  });

  it('refuses to overwrite an existing file and leaves its content unchanged', () => {
    const d = dir();
    const other = join(d, 'something');
    writeFileSync(other, 'precious', { mode: 0o600 });
    assert.throws(() => createRootKeyFile(other), cryptoError('ERR_KEY_FILE'));
    assert.equal(readFileSync(other, 'utf8'), 'precious');

    const path = join(d, 'root.key');
    createRootKeyFile(path);
    const before = readFileSync(path, 'utf8');
    assert.throws(() => createRootKeyFile(path), cryptoError('ERR_KEY_FILE'));
    assert.equal(readFileSync(path, 'utf8'), before);
    assert.equal(modeOf(path), 0o600);
  });
});

describe('RootKeyring.fromFile / fromText', () => {
  it('refuses a key file readable by group or others', () => {
    const path = join(dir(), 'root.key');
    createRootKeyFile(path);
    for (const mode of [0o644, 0o640, 0o604, 0o660, 0o606]) {
      chmodSync(path, mode);
      assert.throws(() => RootKeyring.fromFile(path), cryptoError('ERR_KEY_FILE'), `mode ${mode.toString(8)} accepted`);
    }
    chmodSync(path, 0o600);
    assert.doesNotThrow(() => RootKeyring.fromFile(path));
    chmodSync(path, 0o400);
    assert.doesNotThrow(() => RootKeyring.fromFile(path));
  });

  it('refuses a missing file', () => {
    assert.throws(() => RootKeyring.fromFile(join(dir(), 'absent.key')), cryptoError('ERR_KEY_FILE'));
  });

  it('loads the same keys from the text of the file (environment variable)', () => {
    const path = join(dir(), 'root.key');
    createRootKeyFile(path);
    const fromFile = RootKeyring.fromFile(path);
    const fromText = RootKeyring.fromText(readFileSync(path, 'utf8'));
    assert.deepEqual(fromText.versions, [1]);
    assert.equal(fromText.currentVersion, 1);
    assert.ok(sameRootKey(fromFile, fromText, 1));
    assert.throws(() => fromText.get(2), cryptoError('ERR_KEY_UNKNOWN'));
    // A keyring from the environment cannot be rotated.
    assert.throws(() => fromText.addVersion(), cryptoError('ERR_KEY_FILE'));
    assert.throws(() => fromText.retireOldVersions(), cryptoError('ERR_KEY_FILE'));
  });

  it('refuses text that is not a key file', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const bad = [
      'not json',
      '{}',
      'null',
      JSON.stringify({ format: 'other/1', current: 1, keys: [{ version: 1, created: '', key }] }),
      JSON.stringify({ format: 'epivault-root-key/1', current: 1, keys: [] }),
      JSON.stringify({ format: 'epivault-root-key/1', current: 2, keys: [{ version: 1, created: '', key }] }),
      JSON.stringify({ format: 'epivault-root-key/1', current: 1, keys: [{ version: 1, created: '', key: Buffer.alloc(16).toString('base64') }] }),
      JSON.stringify({ format: 'epivault-root-key/1', current: 0, keys: [{ version: 0, created: '', key }] }),
      JSON.stringify({ format: 'epivault-root-key/1', current: 1.5, keys: [{ version: 1.5, created: '', key }] }),
    ];
    for (const text of bad) assert.throws(() => RootKeyring.fromText(text), cryptoError('ERR_KEY_FILE'), text);
  });
});

describe('RootKeyring versions', () => {
  it('addVersion adds a new current version, keeps the old one unchanged, and keeps mode 0600', () => {
    const d = dir();
    const path = join(d, 'root.key');
    createRootKeyFile(path);
    const ring = RootKeyring.fromFile(path);
    const v1Before = RootKeyring.fromText(readFileSync(path, 'utf8'));
    assert.equal(ring.addVersion(), 2);
    assert.deepEqual(ring.versions, [1, 2]);
    assert.equal(ring.currentVersion, 2);
    assert.equal(ring.current().version, 2);
    assert.equal(modeOf(path), 0o600);
    assert.deepEqual(readdirSync(d), ['root.key'], 'no temporary file left behind');
    assert.ok(sameRootKey(ring, v1Before, 1), 'version 1 unchanged');
    const reread = RootKeyring.fromFile(path);
    assert.deepEqual(reread.versions, [1, 2]);
    assert.ok(sameRootKey(ring, reread, 2));
    assert.ok(!ring.get(1).exposeBytes().equals(ring.get(2).exposeBytes()), 'version 2 is a new key, not a copy of version 1');
  });

  it('retireOldVersions drops every version but the current one', () => {
    const d = dir();
    const path = join(d, 'root.key');
    createRootKeyFile(path);
    const ring = RootKeyring.fromFile(path);
    ring.addVersion();
    ring.addVersion();
    const snapshot = RootKeyring.fromText(readFileSync(path, 'utf8'));
    assert.deepEqual(ring.retireOldVersions(), [1, 2]);
    assert.deepEqual(ring.versions, [3]);
    assert.equal(ring.currentVersion, 3);
    assert.ok(sameRootKey(ring, snapshot, 3), 'the current version is unchanged');
    assert.throws(() => ring.get(1), cryptoError('ERR_KEY_UNKNOWN'));
    assert.throws(() => ring.get(2), cryptoError('ERR_KEY_UNKNOWN'));
    assert.deepEqual(RootKeyring.fromFile(path).versions, [3]);
    assert.equal(modeOf(path), 0o600);
    assert.deepEqual(readdirSync(d), ['root.key']);
    assert.deepEqual(ring.retireOldVersions(), []);
    assert.equal(ring.addVersion(), 4, 'version numbers are never reused');
  });

  it('an instance sees versions added by another instance (current() and get() re-read the file)', () => {
    const path = join(dir(), 'root.key');
    createRootKeyFile(path);
    const a = RootKeyring.fromFile(path);
    const b = RootKeyring.fromFile(path);
    b.addVersion();
    assert.ok(sameRootKey(a, b, 2), 'get(2) re-reads the file');
    const c = RootKeyring.fromFile(path);
    b.addVersion();
    assert.equal(c.current().version, 3, 'current() notices the changed file');
    b.retireOldVersions();
    assert.ok(sameRootKey(a, b, 3));
  });

  it('current() notices a new version written right after it read the file (same clock tick)', () => {
    const d = dir();
    for (let i = 0; i < 25; i++) {
      const path = join(d, `root-${i}.key`);
      createRootKeyFile(path);
      const reader = RootKeyring.fromFile(path);
      RootKeyring.fromFile(path).addVersion(); // typically within the same millisecond as the read
      assert.equal(reader.current().version, 2, `round ${i}: current() kept the old version`);
    }
  });

  it('an instance with a stale view never drops versions another instance added', () => {
    const path = join(dir(), 'root.key');
    createRootKeyFile(path);
    const stale = RootKeyring.fromFile(path);
    const other = RootKeyring.fromFile(path);
    other.addVersion();
    other.retireOldVersions(); // the file now holds only version 2; `stale` still believes in [1]
    const witness = RootKeyring.fromText(readFileSync(path, 'utf8'));
    const v = stale.addVersion();
    assert.equal(v, 3);
    const now = RootKeyring.fromFile(path);
    assert.deepEqual(now.versions, [2, 3]);
    assert.ok(sameRootKey(now, witness, 2), 'version 2 survived');

    // The same for retiring: another instance makes version 4 current; retiring through a stale
    // instance must keep it (the current version of the file), not the stale instance's idea of it.
    const stale2 = RootKeyring.fromFile(path);
    now.addVersion();
    const witness4 = RootKeyring.fromText(readFileSync(path, 'utf8'));
    stale2.retireOldVersions();
    const final = RootKeyring.fromFile(path);
    assert.deepEqual(final.versions, [4]);
    assert.ok(sameRootKey(final, witness4, 4));
  });
});

describe('encrypted export and import', () => {
  // scrypt with N = 2^17 costs about half a second per call: four calls in all.
  const passphrase = 'Crème brûlée à minuit, 42'.normalize('NFC');
  const d = dir();
  const path = join(d, 'root.key');
  createRootKeyFile(path);
  const original = RootKeyring.fromFile(path);
  original.addVersion();
  let exported = '';

  it('exports under a passphrase, without the keys in readable form', () => {
    exported = original.exportEncrypted(passphrase);
    const data = JSON.parse(exported) as { format: string; kdf: { name: string; N: number; r: number; p: number; salt: string }; nonce: string; ciphertext: string };
    assert.equal(data.format, 'epivault-root-key-export/1');
    assert.deepEqual({ ...data.kdf, salt: undefined }, { name: 'scrypt', N: 1 << 17, r: 8, p: 1, salt: undefined });
    assert.equal(Buffer.from(data.kdf.salt, 'base64').length, 16);
    assert.equal(Buffer.from(data.nonce, 'base64').length, 12);
    const material = keyMaterial(path);
    assert.equal(material.length, 6);
    for (const m of material) assert.ok(!exported.includes(m), 'the export shows a key');
    assert.ok(!exported.includes('epivault-root-key/1'), 'the export shows the key file in clear');
  });

  it('imports to identical keys (passphrase compared after NFKC normalization)', () => {
    assert.ok(exported, 'export ran');
    const target = join(d, 'restored.key');
    assert.deepEqual(importEncryptedRootKeys(exported, passphrase.normalize('NFD'), target), [1, 2]);
    assert.equal(modeOf(target), 0o600);
    const restored = RootKeyring.fromFile(target);
    assert.deepEqual(restored.versions, original.versions);
    assert.equal(restored.currentVersion, original.currentVersion);
    for (const v of original.versions) assert.ok(sameRootKey(original, restored, v), `version ${v} differs`);
    assert.deepEqual(keyMaterial(target), keyMaterial(path));
  });

  it('refuses a wrong passphrase with ERR_PASSPHRASE, and writes nothing', () => {
    assert.ok(exported, 'export ran');
    const target = join(d, 'wrong.key');
    assert.throws(() => importEncryptedRootKeys(exported, `${passphrase}!`, target), cryptoError('ERR_PASSPHRASE'));
    assert.equal(existsSync(target), false);
  });

  it('refuses to overwrite an existing key file, leaving it unchanged', () => {
    assert.ok(exported, 'export ran');
    const other = join(d, 'other.key');
    createRootKeyFile(other);
    const before = readFileSync(other, 'utf8');
    assert.throws(() => importEncryptedRootKeys(exported, passphrase, other), cryptoError('ERR_KEY_FILE'));
    assert.equal(readFileSync(other, 'utf8'), before);
  });

  it('refuses damaged or unreasonable exports without running an expensive derivation', () => {
    assert.ok(exported, 'export ran');
    const data = JSON.parse(exported) as { kdf: { N: number; r: number; p: number }; ciphertext: string };
    const target = join(d, 'never.key');
    // Weakened parameters derive another key: refused as a wrong passphrase or damaged export.
    assert.throws(() => importEncryptedRootKeys(JSON.stringify({ ...data, kdf: { ...data.kdf, N: 1024 } }), passphrase, target), cryptoError('ERR_PASSPHRASE'));
    assert.throws(() => importEncryptedRootKeys(JSON.stringify({ ...data, kdf: { ...data.kdf, N: 1 << 21 } }), passphrase, target), cryptoError('ERR_KEY_FILE'));
    assert.throws(() => importEncryptedRootKeys(JSON.stringify({ ...data, kdf: { ...data.kdf, r: 64 } }), passphrase, target), cryptoError('ERR_KEY_FILE'));
    assert.throws(() => importEncryptedRootKeys(JSON.stringify({ ...data, format: 'other' }), passphrase, target), cryptoError('ERR_KEY_FILE'));
    assert.throws(() => importEncryptedRootKeys('not json', passphrase, target), cryptoError('ERR_KEY_FILE'));
    assert.throws(() => importEncryptedRootKeys(JSON.stringify({ ...data, ciphertext: undefined }), passphrase, target), cryptoError('ERR_KEY_FILE'));
    assert.equal(existsSync(target), false);
  });

  it('refuses a passphrase shorter than 12 characters (counted as characters, not UTF-16 units)', () => {
    for (const short of ['', 'short', 'elevenchars', '😀'.repeat(11)]) {
      assert.throws(() => original.exportEncrypted(short), cryptoError('ERR_PASSPHRASE'), JSON.stringify(short));
    }
  });
});
