/**
 * Verifies a release's Ed25519 signature in the browser (WebCrypto; Chromium ≥ 113, Firefox ≥ 129,
 * Safari ≥ 17) over the canonical JSON of its artifact (src/domain/canonical-json.ts, the server's
 * own implementation), against the authority's key built into the bundle (./authority.ts).
 */
import { canonicalJson } from '../../src/domain/canonical-json.ts';
import { AUTHORITY } from './authority.ts';

const fromBase64 = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

let key: Promise<CryptoKey> | null = null;
const authorityKey = () => (key ??= crypto.subtle.importKey('raw', fromBase64(AUTHORITY.publicKey), { name: 'Ed25519' }, false, ['verify']));

/** True only when `signature` (base64) is the authority's signature of `artifact`'s canonical JSON. */
export async function verifySignature(artifact: unknown, signature: unknown): Promise<boolean> {
  if (typeof signature !== 'string' || artifact === null || typeof artifact !== 'object') return false;
  try {
    const sig = fromBase64(signature);
    if (sig.length !== 64) return false;
    return await crypto.subtle.verify({ name: 'Ed25519' }, await authorityKey(), sig, new TextEncoder().encode(canonicalJson(artifact)));
  } catch {
    return false; // malformed base64, a browser without Ed25519: not verified
  }
}
