import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SigningKey } from '../crypto/index.ts';
import {
  formatCheckpoint, formatVerifierKey, logOrigin, NoteError, noteVerifierOf, openCheckpoint, openNote, parseCheckpoint, parseVerifierKey, signCheckpoint, signNote,
} from './note.ts';

// Known answer from golang.org/x/mod/sumdb/note (note_test.go / package documentation): Ed25519
// is deterministic, so signing the same text with the same seed must give the published note.
const PETER_SIGNER_SEED = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
const PETER_VERIFIER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_NOTE = `${TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
const ENOCH_SIG = '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

describe('signed notes (c2sp.org/signed-note)', () => {
  it('reproduces the Go sumdb/note known answer byte for byte, and opens it', () => {
    const key = new SigningKey(PETER_SIGNER_SEED);
    assert.equal(formatVerifierKey(noteVerifierOf('PeterNeumann', key)), PETER_VERIFIER);
    assert.equal(signNote(TEXT, 'PeterNeumann', key), PETER_NOTE);
    assert.equal(openNote(PETER_NOTE, parseVerifierKey(PETER_VERIFIER)), TEXT);
  });

  it('ignores signatures by other keys but needs one by the known key', () => {
    const peter = parseVerifierKey(PETER_VERIFIER);
    assert.equal(openNote(`${PETER_NOTE}${ENOCH_SIG}`, peter), TEXT);
    assert.throws(() => openNote(`${TEXT}\n${ENOCH_SIG}`, peter), /not signed by PeterNeumann/);
  });

  it('rejects an altered text, a bit-flipped signature, or a malformed note', () => {
    const peter = parseVerifierKey(PETER_VERIFIER);
    assert.throws(() => openNote(PETER_NOTE.replace('cryptography', 'cryptographY'), peter), /does not verify/);
    const sigAt = PETER_NOTE.lastIndexOf(' ') + 10;
    const flipped = PETER_NOTE.slice(0, sigAt) + (PETER_NOTE[sigAt] === 'A' ? 'B' : 'A') + PETER_NOTE.slice(sigAt + 1);
    assert.throws(() => openNote(flipped, peter), NoteError);
    assert.throws(() => openNote(TEXT, peter), /no signature block/);
    assert.throws(() => openNote(PETER_NOTE.slice(0, -1), peter), /must end with a newline/);
    assert.throws(() => openNote(PETER_NOTE.replace('\u2014', '-'), peter), /malformed signature line/);
  });

  it('parses only well-formed verifier keys whose ID matches', () => {
    assert.throws(() => parseVerifierKey(PETER_VERIFIER.replace('c74f20a3', 'c74f20a4')), /does not match/);
    assert.throws(() => parseVerifierKey('PeterNeumann+c74f20a3'), /must be/);
    assert.throws(() => parseVerifierKey(PETER_VERIFIER.replace('+ARpc', '+AhPc')), NoteError);
    // The base64 part of a key may itself contain '+'.
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
      const v = noteVerifierOf('example.com/log', new SigningKey(seed));
      assert.deepEqual(parseVerifierKey(formatVerifierKey(v)), v);
    }), { numRuns: 50 });
  });
});

describe('checkpoints (c2sp.org/tlog-checkpoint)', () => {
  const key = new SigningKey(Buffer.alloc(32, 7));
  const origin = logOrigin(key);
  const root = Buffer.alloc(32, 9);

  it('formats origin, size and base64 root, and signs with the origin as key name', () => {
    assert.match(origin, /^epivault\.local\/audit-log\/[0-9a-f]{16}$/);
    const body = formatCheckpoint({ origin, size: 20852163, root });
    assert.equal(body, `${origin}\n20852163\n${root.toString('base64')}\n`);
    const note = signCheckpoint({ origin, size: 20852163, root }, key);
    assert.ok(note.startsWith(`${body}\n\u2014 ${origin} `));
    assert.deepEqual(openCheckpoint(note, noteVerifierOf(origin, key)), { origin, size: 20852163, root });
  });

  it('refuses a checkpoint of another log, or with a bad size or root', () => {
    const other = new SigningKey(Buffer.alloc(32, 8));
    const note = signCheckpoint({ origin: logOrigin(other), size: 1, root }, other);
    assert.throws(() => openCheckpoint(note, noteVerifierOf(origin, key)), /not signed by/);
    assert.throws(() => openCheckpoint(signNote(`${origin}\n1\n${root.toString('base64')}\n`, 'someone-else', key), noteVerifierOf('someone-else', key)), /is not the log someone-else/);
    for (const bad of [`${origin}\n01\n${root.toString('base64')}\n`, `${origin}\n-1\n${root.toString('base64')}\n`, `${origin}\n1\nAAAA\n`, `${origin}\n1\n`, `\n1\n${root.toString('base64')}\n`]) {
      assert.throws(() => parseCheckpoint(bad), NoteError, JSON.stringify(bad));
    }
    assert.equal(parseCheckpoint(`${origin}\n0\n${root.toString('base64')}\nextension\n`).size, 0);
  });
});
