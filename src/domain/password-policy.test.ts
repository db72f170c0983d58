import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkPassword, MIN_PASSWORD_CHARS, parsePasswordList } from './password-policy.ts';

const LIST = parsePasswordList(readFileSync(new URL('./data/common-passwords.txt', import.meta.url), 'utf8'));

describe('password policy', () => {
  it('bundles the 30,000-entry published list, most common first', () => {
    assert.equal(LIST.size, 30_000);
    assert.deepEqual([...LIST].slice(0, 3), ['123456', 'password', '12345678']);
  });

  it('accepts a long password that is not common and does not contain the username', () => {
    assert.deepEqual(checkPassword('violet tractor 42 umbrella', 'alice', LIST), { ok: true });
    assert.deepEqual(checkPassword('十二个汉字组成的一个密码短语', 'alice', LIST), { ok: true });
  });

  it(`refuses fewer than ${MIN_PASSWORD_CHARS} characters (counted as characters, not bytes)`, () => {
    const r = checkPassword('short-pass1', 'alice', LIST);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.problem, 'too_short');
    assert.equal(!r.ok && r.message, 'the password must have at least 12 characters');
    assert.equal(checkPassword('十一个汉字组成的密码短语'.slice(0, 11), 'alice', LIST).ok, false);
  });

  it('refuses a common password, case-insensitively', () => {
    for (const p of ['qwerty123456', 'QWERTY123456', 'LeaveMeAlone', '1qaz2wsx3edc', 'FinalFantasy']) {
      const r = checkPassword(p, 'alice', LIST);
      assert.equal(!r.ok && r.problem, 'common', p);
      assert.equal(!r.ok && r.message.toLowerCase().includes(p.toLowerCase()), false, 'the message does not echo the password');
    }
  });

  it('refuses a password containing the username, case-insensitively', () => {
    for (const p of ['demo-investigator 2026!', 'My DEMO-Investigator password']) {
      const r = checkPassword(p, 'demo-investigator', LIST);
      assert.equal(!r.ok && r.problem, 'contains_username', p);
      assert.equal(!r.ok && r.message, 'the password must not contain the username');
    }
  });

  it('refuses over-long input', () => {
    const r = checkPassword('x'.repeat(1025), 'alice', LIST);
    assert.equal(!r.ok && r.problem, 'too_long');
  });
});
