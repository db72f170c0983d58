import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { randomBytes, scryptSync } from 'node:crypto';
import { aesGcmDecrypt, aesGcmEncrypt } from './aead.ts';
import { CryptoError, DecryptionError } from './errors.ts';
import { randomKeyBytes } from './random.ts';
import { RootKey } from './secret-key.ts';

/**
 * The root key file (docs/CRYPTO.md): JSON `{format, current, keys: [{version, created, key}]}`,
 * key bytes base64, mode 0600, never in the database. Several versions coexist during a rotation;
 * `current` wraps new keys, older ones only unwrap until every wrapped key has moved.
 */
const FORMAT = 'epivault-root-key/1';
const EXPORT_FORMAT = 'epivault-root-key-export/1';
const SCRYPT = { N: 1 << 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const;

interface KeyFileEntry { version: number; created: string; key: string }
interface KeyFile { format: string; current: number; keys: KeyFileEntry[] }

function parseKeyFile(text: string): KeyFile {
  let data: KeyFile;
  try {
    data = JSON.parse(text) as KeyFile;
  } catch {
    throw new CryptoError('ERR_KEY_FILE', 'root key file is not valid JSON');
  }
  const ok = data && data.format === FORMAT && Array.isArray(data.keys) && data.keys.length > 0 &&
    data.keys.every((k) => Number.isInteger(k.version) && k.version > 0 && typeof k.key === 'string' && Buffer.from(k.key, 'base64').length === 32) &&
    data.keys.some((k) => k.version === data.current);
  if (!ok) throw new CryptoError('ERR_KEY_FILE', 'root key file has an unknown format');
  return data;
}

function writeFileAtomic(path: string, text: string, exclusive: boolean): void {
  const target = exclusive ? path : `${path}.tmp-${process.pid}`;
  let fd: number;
  try {
    fd = openSync(target, exclusive ? 'wx' : 'w', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new CryptoError('ERR_KEY_FILE', 'root key file already exists; refusing to overwrite it');
    throw e;
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (!exclusive) renameSync(target, path);
}

/**
 * What identifies one version of the key file. The modification time alone is too coarse (two
 * writes within one clock tick share it); every write replaces the file (new inode) and changes
 * its size, so together they tell a rewritten file apart.
 */
function fileStamp(path: string): string {
  const s = statSync(path);
  return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
}

function serialize(file: KeyFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Creates a new root key file (version 1). Refuses to overwrite an existing file. */
export function createRootKeyFile(path: string): void {
  const file: KeyFile = { format: FORMAT, current: 1, keys: [{ version: 1, created: new Date().toISOString(), key: randomKeyBytes().toString('base64') }] };
  writeFileAtomic(path, serialize(file), true);
}

/** Holds the root key versions; re-reads its file when asked for a version it does not know (rotation by another process). */
export class RootKeyring {
  #file: KeyFile;
  #stamp = '';
  /** RootKey objects by entry of the file as loaded (a reload starts afresh). */
  #keys = new WeakMap<object, RootKey>();

  private constructor(file: KeyFile, private readonly path: string | null) {
    this.#file = file;
    if (path) this.#stamp = fileStamp(path);
  }

  /** Loads from a key file (which must not be readable by group or others). */
  static fromFile(path: string): RootKeyring {
    if (!existsSync(path)) throw new CryptoError('ERR_KEY_FILE', 'root key file not found; run `epivault init` first');
    if ((statSync(path).mode & 0o077) !== 0) throw new CryptoError('ERR_KEY_FILE', 'root key file is accessible to other users; it must be mode 0600');
    return new RootKeyring(parseKeyFile(readFileSync(path, 'utf8')), path);
  }

  /** Loads from the contents of a key file held in an environment variable. */
  static fromText(text: string): RootKeyring {
    return new RootKeyring(parseKeyFile(text), null);
  }

  get currentVersion(): number {
    return this.#file.current;
  }

  get versions(): number[] {
    return this.#file.keys.map((k) => k.version).sort((a, b) => a - b);
  }

  /** The version that wraps new keys; re-reads the file if another process (a rotation) changed it. */
  current(): RootKey {
    if (this.path) {
      if (fileStamp(this.path) !== this.#stamp) this.reload();
    }
    return this.get(this.#file.current);
  }

  get(version: number): RootKey {
    let entry = this.#file.keys.find((k) => k.version === version);
    if (!entry && this.path) {
      this.reload();
      entry = this.#file.keys.find((k) => k.version === version);
    }
    if (!entry) throw new CryptoError('ERR_KEY_UNKNOWN', `root key version ${version} is not in the key file`);
    // One RootKey object per version of the loaded file, so that what is derived from it (the
    // key-wrapping key, cached per RootKey in key-wrap.ts) is derived once, not on every unwrap.
    let key = this.#keys.get(entry);
    if (!key) {
      key = new RootKey(entry.version, Buffer.from(entry.key, 'base64'));
      this.#keys.set(entry, key);
    }
    return key;
  }

  /** Re-reads the key file (after another process rotated it). */
  reload(): void {
    if (!this.path) return;
    this.#stamp = fileStamp(this.path);
    this.#file = parseKeyFile(readFileSync(this.path, 'utf8'));
  }

  /** Adds a new version and makes it current; the file is replaced atomically. */
  addVersion(): number {
    const path = this.requirePath();
    this.reload(); // another keyring (process) may have changed the file: never write back a stale view
    const version = Math.max(...this.versions) + 1;
    const next: KeyFile = { ...this.#file, current: version, keys: [...this.#file.keys, { version, created: new Date().toISOString(), key: randomKeyBytes().toString('base64') }] };
    writeFileAtomic(path, serialize(next), false);
    this.reload();
    return version;
  }

  /** Drops every version other than the current one (after every wrapped key has moved to it). */
  retireOldVersions(): number[] {
    const path = this.requirePath();
    this.reload();
    const retired = this.versions.filter((v) => v !== this.#file.current);
    const next: KeyFile = { ...this.#file, keys: this.#file.keys.filter((k) => k.version === this.#file.current) };
    writeFileAtomic(path, serialize(next), false);
    this.reload();
    return retired;
  }

  /** The key file encrypted under a passphrase (scrypt, AES-256-GCM) for safekeeping. */
  exportEncrypted(passphrase: string): string {
    checkPassphrase(passphrase);
    const salt = randomBytes(16);
    const nonce = randomBytes(12);
    const kek = scryptSync(passphrase.normalize('NFKC'), salt, 32, SCRYPT);
    const sealed = aesGcmEncrypt(kek, nonce, Buffer.from(serialize(this.#file), 'utf8'), Buffer.from(EXPORT_FORMAT));
    return `${JSON.stringify({ format: EXPORT_FORMAT, kdf: { name: 'scrypt', N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, salt: salt.toString('base64') }, nonce: nonce.toString('base64'), ciphertext: sealed.toString('base64') }, null, 2)}\n`;
  }

  private requirePath(): string {
    if (!this.path) throw new CryptoError('ERR_KEY_FILE', 'the root key came from the environment; rotation needs a key file');
    return this.path;
  }
}

function checkPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || [...passphrase].length < 12) throw new CryptoError('ERR_PASSPHRASE', 'passphrase must be at least 12 characters');
}

/** Restores a key file from an export. Refuses to overwrite an existing key file. */
export function importEncryptedRootKeys(exported: string, passphrase: string, path: string): number[] {
  let data: { format?: string; kdf?: { name?: string; N?: number; r?: number; p?: number; salt?: string }; nonce?: string; ciphertext?: string };
  try {
    data = JSON.parse(exported);
  } catch {
    throw new CryptoError('ERR_KEY_FILE', 'key export is not valid JSON');
  }
  const kdf = data.kdf;
  if (data.format !== EXPORT_FORMAT || kdf?.name !== 'scrypt' || !kdf.salt || !data.nonce || !data.ciphertext || !kdf.N || !kdf.r || !kdf.p) {
    throw new CryptoError('ERR_KEY_FILE', 'key export has an unknown format');
  }
  if (kdf.N > 1 << 20 || kdf.r > 16 || kdf.p > 4) throw new CryptoError('ERR_KEY_FILE', 'key export asks for unreasonable scrypt parameters');
  const kek = scryptSync(passphrase.normalize('NFKC'), Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 1024 * 1024 * 1024 });
  let text: string;
  try {
    text = aesGcmDecrypt(kek, Buffer.from(data.nonce, 'base64'), Buffer.from(data.ciphertext, 'base64'), Buffer.from(EXPORT_FORMAT)).toString('utf8');
  } catch (e) {
    if (e instanceof DecryptionError) throw new CryptoError('ERR_PASSPHRASE', 'wrong passphrase or damaged key export');
    throw e;
  }
  const file = parseKeyFile(text);
  writeFileAtomic(path, serialize(file), true);
  return file.keys.map((k) => k.version);
}
