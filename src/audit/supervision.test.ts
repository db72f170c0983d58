import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_THRESHOLDS, detectAlerts, lookbackMinutes } from './supervision.ts';
import type { SupervisionEvent, SupervisionThresholds } from './supervision.ts';

// 2026-12-02 10:00 in Beijing (UTC+8) is 02:00 UTC: inside working hours.
const T0 = Date.parse('2026-12-02T02:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function events(specs: readonly Omit<SupervisionEvent, 'seq'>[]): SupervisionEvent[] {
  return specs.map((s, i) => ({ ...s, seq: i + 1 }));
}
const reveal = (actor: string, minute: number): Omit<SupervisionEvent, 'seq'> => ({ actor, at: at(minute), action: 'reveal', resourceType: 'subject', outcome: 'success' });

describe('supervision rules', () => {
  it('fires a reveal burst once when an account reaches the threshold within the window', () => {
    const t: SupervisionThresholds = { ...DEFAULT_THRESHOLDS, reveals: 3, revealWindowMinutes: 10 };
    const ev = events([reveal('st_a', 0), reveal('st_a', 1), reveal('st_b', 2), reveal('st_a', 3), reveal('st_a', 4), reveal('st_a', 5)]);
    const alerts = detectAlerts(ev, 0, t);
    assert.deepEqual(alerts.map((a) => [a.kind, a.actor, a.seqs]), [['reveal_burst', 'st_a', [1, 2, 4]]]);
    assert.deepEqual(alerts[0]!.details, { count: 3, windowMinutes: 10 });
  });

  it('does not fire for reveals spread wider than the window, and fires again after the window empties', () => {
    const t: SupervisionThresholds = { ...DEFAULT_THRESHOLDS, reveals: 2, revealWindowMinutes: 10 };
    assert.deepEqual(detectAlerts(events([reveal('st_a', 0), reveal('st_a', 11), reveal('st_a', 22)]), 0, t), []);
    const again = detectAlerts(events([reveal('st_a', 0), reveal('st_a', 1), reveal('st_a', 30), reveal('st_a', 31)]), 0, t);
    assert.deepEqual(again.map((a) => a.seqs), [[1, 2], [3, 4]]);
  });

  it('fires only for events after the cursor, whatever the batch boundaries', () => {
    const t: SupervisionThresholds = { ...DEFAULT_THRESHOLDS, reveals: 3, revealWindowMinutes: 10 };
    const ev = events([reveal('st_a', 0), reveal('st_a', 1), reveal('st_a', 2), reveal('st_a', 30), reveal('st_a', 31), reveal('st_a', 32)]);
    const all = detectAlerts(ev, 0, t).map((a) => a.seqs);
    assert.deepEqual(all, [[1, 2, 3], [4, 5, 6]]);
    for (let cursor = 0; cursor <= ev.length; cursor++) {
      const split = [...detectAlerts(ev.slice(0, cursor), 0, t), ...detectAlerts(ev, cursor, t)].map((a) => a.seqs);
      assert.deepEqual(split, all, `cursor ${cursor}`);
    }
  });

  it('treats searches and unsuccessful reads as enumeration', () => {
    const t: SupervisionThresholds = { ...DEFAULT_THRESHOLDS, enumeration: 4, enumerationWindowMinutes: 5 };
    const ev = events([
      { actor: 'st_a', at: at(0), action: 'search', resourceType: 'subject', outcome: 'success' },
      { actor: 'st_a', at: at(1), action: 'read', resourceType: 'case', outcome: 'failure' },
      { actor: 'st_a', at: at(1), action: 'read', resourceType: 'case', outcome: 'success' },
      { actor: 'st_a', at: at(2), action: 'read', resourceType: 'case', outcome: 'denied' },
      { actor: 'st_a', at: at(3), action: 'search', resourceType: 'subject', outcome: 'success' },
    ]);
    assert.deepEqual(detectAlerts(ev, 0, t).filter((a) => a.kind === 'enumeration').map((a) => a.seqs), [[1, 2, 4, 5]]);
  });

  it('alerts on denied attempts by staff, on break-glass use and on repeated failed sign-ins', () => {
    const t: SupervisionThresholds = { ...DEFAULT_THRESHOLDS, denied: 2, failedSignIns: 3 };
    const ev = events([
      { actor: 'st_a', at: at(0), action: 'read', resourceType: 'case', outcome: 'denied' },
      { actor: 'system:cli:root', at: at(0), action: 'read', resourceType: 'case', outcome: 'denied' },
      { actor: 'st_a', at: at(1), action: 'update', resourceType: 'case', outcome: 'denied' },
      { actor: 'st_b', at: at(2), action: 'break_glass', resourceType: 'case', outcome: 'success' },
      { actor: 'anonymous', at: at(3), action: 'auth.login', resourceType: 'staff_account', outcome: 'failure' },
      { actor: 'anonymous', at: at(4), action: 'auth.login', resourceType: 'staff_account', outcome: 'failure' },
      { actor: 'st_c', at: at(4), action: 'auth.login', resourceType: 'staff_account', outcome: 'failure' },
      { actor: 'anonymous', at: at(5), action: 'auth.login', resourceType: 'staff_account', outcome: 'failure' },
    ]);
    assert.deepEqual(detectAlerts(ev, 0, t).map((a) => [a.kind, a.actor, a.seqs]), [
      ['out_of_scope', 'st_a', [1, 3]],
      ['break_glass', 'st_b', [4]],
      ['failed_sign_in', 'anonymous', [5, 6, 8]],
    ]);
  });

  it('alerts once per account and local day on personal-data access outside working hours', () => {
    // 23:30 and 23:50 Beijing time on 2 December, then 08:00 on 3 December.
    const ev = events([
      { actor: 'st_a', at: '2026-12-02T15:30:00Z', action: 'read', resourceType: 'case', outcome: 'success' },
      { actor: 'st_a', at: '2026-12-02T15:50:00Z', action: 'reveal', resourceType: 'subject', outcome: 'success' },
      { actor: 'st_a', at: '2026-12-03T00:00:00Z', action: 'read', resourceType: 'case', outcome: 'success' },
      { actor: 'st_b', at: '2026-12-02T03:00:00Z', action: 'read', resourceType: 'case', outcome: 'success' },
    ]);
    const alerts = detectAlerts(ev, 0);
    assert.deepEqual(alerts.map((a) => [a.kind, a.actor, a.seqs]), [['unusual_hours', 'st_a', [1]]]);
    assert.deepEqual(alerts[0]!.details, { localHour: 23, timeZone: 'Asia/Shanghai' });
    assert.deepEqual(detectAlerts(ev, 1), [], 'the context event of the same day already fired');
  });

  it('refuses invalid thresholds with a message naming the setting', () => {
    assert.throws(() => detectAlerts([], 0, { ...DEFAULT_THRESHOLDS, reveals: 0 }), /reveals/);
    assert.throws(() => detectAlerts([], 0, { ...DEFAULT_THRESHOLDS, workdayStartHour: 22, workdayEndHour: 8 }), /workday/);
    assert.ok(lookbackMinutes() >= 24 * 60);
  });

  it('property: splitting a stream at any cursor yields the same alerts as one scan', () => {
    const t: SupervisionThresholds = { ...DEFAULT_THRESHOLDS, reveals: 3, revealWindowMinutes: 5, enumeration: 3, enumerationWindowMinutes: 5, denied: 2 };
    const spec = fc.record({
      actor: fc.constantFrom('st_a', 'st_b', 'anonymous'),
      gap: fc.integer({ min: 0, max: 4 }),
      action: fc.constantFrom('reveal', 'search', 'read', 'auth.login', 'break_glass'),
      outcome: fc.constantFrom('success', 'denied', 'failure'),
    });
    fc.assert(fc.property(fc.array(spec, { maxLength: 40 }), fc.nat(), (specs, c) => {
      let minute = 0;
      const ev = events(specs.map((s) => ({ actor: s.actor, at: at((minute += s.gap)), action: s.action, resourceType: 'case', outcome: s.outcome })));
      const cursor = specs.length ? c % (specs.length + 1) : 0;
      const whole = detectAlerts(ev, 0, t);
      const split = [...detectAlerts(ev.slice(0, cursor), 0, t), ...detectAlerts(ev, cursor, t)];
      const key = (a: { kind: string; seqs: readonly number[] }) => `${a.kind}:${a.seqs.join(',')}`;
      assert.deepEqual(split.map(key).sort(), whole.map(key).sort());
    }));
  });
});
