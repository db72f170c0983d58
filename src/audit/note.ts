import { ed25519PublicKey, ed25519Sign, ed25519Verify, ED25519_PUBLIC_KEY_BYTES, HASH_BYTES, sha256 } from '../crypto/index.ts';
import type { SigningKey } from '../crypto/index.ts';

/**
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 signatures, and checkpoints
 * (c2sp.org/tlog-checkpoint) carried in them (docs/AUDIT.md).
 *
 *   note      = text (ending in "\n") || "\n" || one or more signature lines
 *   signature = "— " || key name || " " || base64(key ID (4 bytes) || Ed25519 signature over text) || "\n"
 *   key ID    = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4]
 *   verifier  = key name || "+" || hex(key ID) || "+" || base64(0x01 || public key)
 */
export class NoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteError';
  }
}

const ED25519_TYPE = 0x01;
const EM_DASH = '\u2014';
const MAX_NOTE_BYTES = 64 * 1024;
const MAX_SIGNATURES = 100;

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Buffer;
  readonly publicKey: Buffer;
}

function checkKeyName(name: string): void {
  if (name.length === 0 || /[\s+]/u.test(name) || /\p{Cc}/u.test(name)) throw new NoteError('key name must be non-empty, without spaces, plus signs or control characters');
}

export function noteKeyId(name: string, publicKey: Uint8Array): Buffer {
  return sha256(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.of(0x0a, ED25519_TYPE), publicKey])).subarray(0, 4);
}

/** The verifier (public) side of a signing key under a key name. */
export function noteVerifierOf(name: string, key: SigningKey): NoteVerifier {
  checkKeyName(name);
  const publicKey = ed25519PublicKey(key);
  return { name, keyId: noteKeyId(name, publicKey), publicKey };
}

/** Verifier key text: `<name>+<hex key ID>+<base64(0x01 || public key)>`. */
export function formatVerifierKey(v: NoteVerifier): string {
  return `${v.name}+${v.keyId.toString('hex')}+${Buffer.concat([Buffer.of(ED25519_TYPE), v.publicKey]).toString('base64')}`;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function strictBase64(s: string, what: string): Buffer {
  const b = Buffer.from(s, 'base64');
  if (!BASE64.test(s) || s.length % 4 !== 0 || b.toString('base64') !== s) throw new NoteError(`${what} is not valid base64`);
  return b;
}

/** Parses verifier key text; checks that its key ID is the one its name and key give. */
export function parseVerifierKey(text: string): NoteVerifier {
  const parts = text.trim().split('+');
  // The base64 part may itself contain '+': the name has none, the hex ID has none.
  if (parts.length < 3) throw new NoteError('verifier key must be <name>+<key id>+<key>');
  const [name, idHex, ...rest] = parts as [string, string, ...string[]];
  checkKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError('verifier key ID must be 8 lowercase hex digits');
  const key = strictBase64(rest.join('+'), 'verifier key');
  if (key.length !== 1 + ED25519_PUBLIC_KEY_BYTES || key[0] !== ED25519_TYPE) throw new NoteError('verifier key is not an Ed25519 key (type 0x01, 32 bytes)');
  const publicKey = Buffer.from(key.subarray(1));
  const keyId = noteKeyId(name, publicKey);
  if (keyId.toString('hex') !== idHex) throw new NoteError('verifier key ID does not match its name and key');
  return { name, keyId, publicKey };
}

function checkText(text: string): void {
  if (!text.endsWith('\n')) throw new NoteError('note text must end with a newline');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) throw new NoteError('note text must not contain control characters');
  }
}

/** Signs `text` (which ends with a newline) as a note with one Ed25519 signature. */
export function signNote(text: string, name: string, key: SigningKey): string {
  checkText(text);
  const v = noteVerifierOf(name, key);
  const sig = ed25519Sign(key, Buffer.from(text, 'utf8'));
  return `${text}\n${EM_DASH} ${name} ${Buffer.concat([v.keyId, sig]).toString('base64')}\n`;
}

/**
 * Opens a signed note: returns its text if a signature by `verifier` (same name and key ID) is
 * present and valid. Signatures by other keys are ignored, as the spec requires; a failing
 * signature by the known key rejects the note.
 */
export function openNote(note: string, verifier: NoteVerifier): string {
  if (Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES) throw new NoteError('note is too large');
  if (!note.endsWith('\n')) throw new NoteError('note must end with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('note has no signature block');
  const text = note.slice(0, split + 1);
  checkText(text);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError('note has too many signatures');
  let verified = false;
  for (const line of lines) {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    if (!m) throw new NoteError('malformed signature line');
    const [, name, b64] = m as unknown as [string, string, string];
    const sig = strictBase64(b64, 'signature');
    if (sig.length < 5) throw new NoteError('signature too short');
    if (name !== verifier.name || !sig.subarray(0, 4).equals(verifier.keyId)) continue;
    if (!ed25519Verify(verifier.publicKey, Buffer.from(text, 'utf8'), sig.subarray(4))) throw new NoteError(`the signature by ${name} does not verify`);
    verified = true;
  }
  if (!verified) throw new NoteError(`the note is not signed by ${verifier.name}`);
  return text;
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Buffer;
}

/** Checkpoint body: `<origin>\n<size>\n<base64 root>\n`. */
export function formatCheckpoint(c: Checkpoint): string {
  if (c.origin.length === 0 || c.origin.includes('\n')) throw new NoteError('checkpoint origin must be one non-empty line');
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new NoteError('checkpoint size must be a non-negative integer');
  if (c.root.length !== HASH_BYTES) throw new NoteError('checkpoint root must be 32 bytes');
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n`;
}

/** Parses a checkpoint body (extension lines, if any, are allowed and ignored). */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw new NoteError('checkpoint must have origin, size and root lines');
  const [origin, size, root] = lines as [string, string, string];
  if (origin.length === 0) throw new NoteError('checkpoint origin is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) throw new NoteError('checkpoint size is not a decimal number');
  const r = strictBase64(root, 'checkpoint root');
  if (r.length !== HASH_BYTES) throw new NoteError('checkpoint root is not 32 bytes');
  if (lines.slice(3, -1).some((l) => l.length === 0)) throw new NoteError('checkpoint extension lines must not be empty');
  return { origin, size: Number(size), root: r };
}

/** Signs a checkpoint as a note whose key name is the origin. */
export function signCheckpoint(c: Checkpoint, key: SigningKey): string {
  return signNote(formatCheckpoint(c), c.origin, key);
}

/** Verifies a signed checkpoint with the verifier key; its origin must be the key's name. */
export function openCheckpoint(note: string, verifier: NoteVerifier): Checkpoint {
  const c = parseCheckpoint(openNote(note, verifier));
  if (c.origin !== verifier.name) throw new NoteError(`checkpoint origin ${c.origin} is not the log ${verifier.name}`);
  return c;
}

/** The log's origin (and key name): derived from its public key, so that it is unique and stable. */
export function logOrigin(key: SigningKey): string {
  return `epivault.local/audit-log/${sha256(ed25519PublicKey(key)).subarray(0, 8).toString('hex')}`;
}
