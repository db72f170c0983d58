import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StaffSessionRow } from '../storage/staff.repository.ts';
import { SESSION_CACHE_TTL_MS, SessionCache, sessionCacheOf } from './session-cache.ts';
import type { StaffSession } from './session.service.ts';

const row = (account: string, lastSeen = '2026-12-01T08:00:00.000Z'): StaffSessionRow => ({
  id_hash: Buffer.alloc(32), account_id: account, stage: 'active', created_at: '2026-12-01T08:00:00.000Z', last_seen_at: lastSeen,
  expires_at: '2026-12-01T20:00:00.000Z', ended_at: null,
});

const session = (account: string, token = `token-of-${account}`): StaffSession => ({
  token, actor: { id: account, role: 'investigator', username: account, jurisdiction: '110105', termsAccepted: true },
  stage: 'active', csrfToken: 'csrf', createdAt: '2026-12-01T08:00:00.000Z', expiresAt: '2026-12-01T20:00:00.000Z', demo: false,
});

const entry = (account: string) => ({ session: session(account), row: row(account), termsVersion: 'v1' });

describe('session cache', () => {
  it('keeps an entry for the TTL only, measured on its own clock', () => {
    let now = 1000;
    const cache = new SessionCache(2000, 100, () => now);
    cache.put('a', entry('acc-a'), cache.generation());
    now += 1999;
    assert.equal(cache.get('a')?.session.actor.id, 'acc-a');
    now += 1;
    assert.equal(cache.get('a'), undefined, 'stale at the TTL');
    assert.equal(cache.size, 0, 'and dropped');
    assert.equal(SESSION_CACHE_TTL_MS, 2000);
  });

  it('does not store a load that raced with an invalidation', () => {
    const cache = new SessionCache(2000, 100, () => 0);
    const before = cache.generation();
    // A request reads the session; meanwhile the account is disabled and its sessions forgotten.
    cache.forgetAccount('acc-a');
    cache.put('a', entry('acc-a'), before);
    assert.equal(cache.get('a'), undefined, 'the old state is not put back');
    cache.put('a', entry('acc-a'), cache.generation());
    assert.ok(cache.get('a'), 'a load after the invalidation is stored');
    const gen = cache.generation();
    cache.forgetSession('zzz');
    cache.put('b', entry('acc-b'), gen);
    assert.equal(cache.get('b'), undefined, 'any invalidation counts');
  });

  it('forgets one session, or every session of one account, and nothing else', () => {
    const cache = new SessionCache(2000, 100, () => 0);
    cache.put('a1', entry('acc-a'), cache.generation());
    cache.put('a2', entry('acc-a'), cache.generation());
    cache.put('b1', entry('acc-b'), cache.generation());
    cache.forgetSession('a1');
    assert.deepEqual(['a1', 'a2', 'b1'].map((k) => cache.get(k) !== undefined), [false, true, true]);
    cache.put('a1', entry('acc-a'), cache.generation());
    cache.forgetAccount('acc-a');
    assert.deepEqual(['a1', 'a2', 'b1'].map((k) => cache.get(k) !== undefined), [false, false, true]);
  });

  it('touch replaces the row and keeps the load time', () => {
    let now = 0;
    const cache = new SessionCache(2000, 100, () => now);
    cache.put('a', entry('acc-a'), cache.generation());
    now = 1500;
    cache.touch('a', row('acc-a', '2026-12-01T08:05:00.000Z'));
    assert.equal(cache.get('a')?.row.last_seen_at, '2026-12-01T08:05:00.000Z');
    now = 2000;
    assert.equal(cache.get('a'), undefined, 'a touch does not extend the TTL');
    cache.touch('a', row('acc-a'));
    assert.equal(cache.size, 0, 'touching a missing entry adds nothing');
  });

  it('holds at most its maximum, dropping stale entries first and then the oldest', () => {
    let now = 0;
    const cache = new SessionCache(2000, 3, () => now);
    cache.put('old', entry('acc-o'), cache.generation());
    now = 2500;
    cache.put('a', entry('acc-a'), cache.generation());
    cache.put('b', entry('acc-b'), cache.generation());
    cache.put('c', entry('acc-c'), cache.generation());
    assert.equal(cache.size, 3);
    assert.deepEqual(['a', 'b', 'c'].map((k) => cache.get(k) !== undefined), [true, true, true], 'the stale one went');
    cache.put('d', entry('acc-d'), cache.generation());
    assert.equal(cache.size, 3);
    assert.equal(cache.get('a'), undefined, 'then the oldest');
  });

  it('one cache per store object', () => {
    const s1 = {};
    const s2 = {};
    assert.equal(sessionCacheOf(s1), sessionCacheOf(s1));
    assert.notEqual(sessionCacheOf(s1), sessionCacheOf(s2));
  });
});
