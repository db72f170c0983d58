import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqualText, csrfTokenFor, csrfTokenMatches, isSessionTokenShape, newSessionToken, randomPassword, sessionTokenHash, throttleKey } from './session-token.ts';
import { TokenKey } from './secret-key.ts';

const key = new TokenKey(Buffer.alloc(32, 7));
const other = new TokenKey(Buffer.alloc(32, 8));

describe('staff session secrets', () => {
  it('session tokens are 256 random bits, base64url; the stored hash is SHA-256 of those bits', () => {
    const a = newSessionToken();
    assert.ok(isSessionTokenShape(a));
    assert.equal(Buffer.from(a, 'base64url').length, 32);
    assert.notEqual(a, newSessionToken());
    assert.deepEqual(sessionTokenHash(a), createHash('sha256').update(Buffer.from(a, 'base64url')).digest());
    for (const bad of ['', 'short', `${a}x`, a.replace(/.$/, '+'), undefined, 42]) assert.equal(isSessionTokenShape(bad), false, String(bad));
  });

  it('the CSRF token is HMAC-SHA256(staff-auth key, label 0x00 session token), per session and per key', () => {
    const s = newSessionToken();
    const expected = createHmac('sha256', Buffer.alloc(32, 7)).update(`epivault/csrf/v1\u0000${s}`).digest('base64url');
    assert.equal(csrfTokenFor(key, s), expected);
    assert.ok(csrfTokenMatches(key, s, expected));
    assert.equal(csrfTokenMatches(key, newSessionToken(), expected), false, 'another session');
    assert.equal(csrfTokenMatches(other, s, expected), false, 'another key');
    for (const bad of [undefined, '', expected.slice(1), `${expected}=`, expected.toUpperCase(), ['x']]) assert.equal(csrfTokenMatches(key, s, bad), false);
  });

  it('compares in constant time and refuses non-strings', () => {
    assert.ok(constantTimeEqualText('abc', 'abc'));
    assert.equal(constantTimeEqualText('abc', 'abd'), false);
    assert.equal(constantTimeEqualText('abc', 'abcd'), false);
    assert.equal(constantTimeEqualText('abc', null), false);
  });

  it('throttle keys are case-insensitive for usernames, separate per kind and per key', () => {
    assert.deepEqual(throttleKey(key, 'username', 'Alice'), throttleKey(key, 'username', 'alice'));
    assert.equal(throttleKey(key, 'username', 'alice').length, 16);
    assert.notDeepEqual(throttleKey(key, 'username', 'alice'), throttleKey(key, 'address', 'alice'));
    assert.notDeepEqual(throttleKey(key, 'username', 'alice'), throttleKey(other, 'username', 'alice'));
  });

  it('one-time passwords: 4 groups of 5 characters without look-alikes, random', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = randomPassword();
      assert.match(p, /^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$/);
      assert.doesNotMatch(p, /[01lIoO]/);
      seen.add(p);
    }
    assert.equal(seen.size, 200);
  });
});
