import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration: sessions and TLS', () => {
  it('defaults to a 30-minute idle and 12-hour absolute session timeout, no TLS', () => {
    const c = loadConfig({ data: '/tmp/x' }, {});
    assert.equal(c.sessionIdleMinutes, 30);
    assert.equal(c.sessionMaxHours, 12);
    assert.equal(c.tlsCert, null);
    assert.equal(c.tlsKey, null);
  });

  it('reads EPIVAULT_SESSION_* and EPIVAULT_TLS_*; flags win over the environment', () => {
    const env = { EPIVAULT_SESSION_IDLE_MINUTES: '15', EPIVAULT_SESSION_MAX_HOURS: '8', EPIVAULT_TLS_CERT: '/etc/a.pem', EPIVAULT_TLS_KEY: '/etc/a.key' };
    const c = loadConfig({ data: '/tmp/x' }, env);
    assert.deepEqual([c.sessionIdleMinutes, c.sessionMaxHours, c.tlsCert, c.tlsKey], [15, 8, '/etc/a.pem', '/etc/a.key']);
    const f = loadConfig({ data: '/tmp/x', tlsCert: '/srv/b.pem', tlsKey: '/srv/b.key' }, env);
    assert.deepEqual([f.tlsCert, f.tlsKey], ['/srv/b.pem', '/srv/b.key']);
  });

  it('names a bad session setting, and a certificate without its key', () => {
    assert.throws(() => loadConfig({ data: '/tmp/x' }, { EPIVAULT_SESSION_IDLE_MINUTES: 'soon' }), (e: Error) => e instanceof ConfigError && /sessionIdleMinutes/.test(e.message));
    assert.throws(() => loadConfig({ data: '/tmp/x' }, { EPIVAULT_SESSION_MAX_HOURS: '0' }), (e: Error) => e instanceof ConfigError && /sessionMaxHours/.test(e.message));
    assert.throws(() => loadConfig({ data: '/tmp/x' }, { EPIVAULT_TLS_CERT: '/etc/a.pem' }), (e: Error) => e instanceof ConfigError && /give both a certificate/.test(e.message));
  });
});

describe('configuration: SQLite memory', () => {
  it('defaults to a 64 MiB page cache and no memory map, and reads EPIVAULT_SQLITE_*', () => {
    const d = loadConfig({ data: '/tmp/x' }, {});
    assert.deepEqual([d.sqliteCacheMiB, d.sqliteMmapMiB], [64, 0]);
    const c = loadConfig({ data: '/tmp/x' }, { EPIVAULT_SQLITE_CACHE_MIB: '1024', EPIVAULT_SQLITE_MMAP_MIB: '16384' });
    assert.deepEqual([c.sqliteCacheMiB, c.sqliteMmapMiB], [1024, 16384]);
  });

  it('names a bad SQLite memory setting', () => {
    for (const [k, v, field] of [['EPIVAULT_SQLITE_CACHE_MIB', '1', 'sqliteCacheMiB'], ['EPIVAULT_SQLITE_CACHE_MIB', 'lots', 'sqliteCacheMiB'], ['EPIVAULT_SQLITE_MMAP_MIB', '-1', 'sqliteMmapMiB'], ['EPIVAULT_SQLITE_MMAP_MIB', '1.5', 'sqliteMmapMiB']] as const) {
      assert.throws(() => loadConfig({ data: '/tmp/x' }, { [k]: v }), (e: Error) => e instanceof ConfigError && e.message.includes(field), `${k}=${v}`);
    }
  });
});

describe('configuration: the database engine', () => {
  it('defaults to <data dir>/epivault.db', () => {
    const c = loadConfig({ data: '/tmp/x' }, {});
    assert.equal(c.databaseUrl, '/tmp/x/epivault.db');
  });

  it('takes EPIVAULT_DATABASE_URL when there is no --db, and --db over it', () => {
    const env = { EPIVAULT_DATABASE_URL: 'postgres://epivault@db.internal:5432/epivault?schema=city' };
    assert.equal(loadConfig({ data: '/tmp/x' }, env).databaseUrl, env.EPIVAULT_DATABASE_URL);
    assert.equal(loadConfig({ data: '/tmp/x', db: '/srv/other.db' }, env).databaseUrl, '/srv/other.db');
    assert.equal(loadConfig({ data: '/tmp/x' }, { EPIVAULT_DATABASE_URL: 'sqlite:/srv/city.db' }).databaseUrl, 'sqlite:/srv/city.db');
  });
});

describe('configuration: contact tracing', () => {
  it('defaults to the protocol\'s window (4 days before onset, 30-minute buffer), 14-day quarantines and an hourly risk refresh', () => {
    const c = loadConfig({ data: '/tmp/x' }, {});
    assert.deepEqual(c.tracing, { discovery: { daysBeforeOnset: 4, bufferMinutes: 30, minOverlapMinutes: 0 }, quarantine: { days: 14, maxExtensionDays: 14 } });
    assert.equal(c.riskRefreshMinutes, 60);
  });

  it('reads EPIVAULT_DISCOVERY_*, EPIVAULT_QUARANTINE_* and EPIVAULT_RISK_REFRESH_MINUTES; unset ones keep their defaults', () => {
    const c = loadConfig({ data: '/tmp/x' }, {
      EPIVAULT_DISCOVERY_DAYS_BEFORE_ONSET: '2', EPIVAULT_DISCOVERY_BUFFER_MINUTES: '0', EPIVAULT_DISCOVERY_MIN_OVERLAP_MINUTES: '15',
      EPIVAULT_QUARANTINE_DAYS: ' 7 ', EPIVAULT_RISK_REFRESH_MINUTES: '15',
    });
    assert.deepEqual(c.tracing, { discovery: { daysBeforeOnset: 2, bufferMinutes: 0, minOverlapMinutes: 15 }, quarantine: { days: 7, maxExtensionDays: 14 } });
    assert.equal(c.riskRefreshMinutes, 15);
    assert.deepEqual(loadConfig({ data: '/tmp/x' }, { EPIVAULT_QUARANTINE_MAX_EXTENSION_DAYS: '3' }).tracing.quarantine, { days: 14, maxExtensionDays: 3 });
  });

  it('names the variable and the setting of a bad value, and starts with nothing half-read', () => {
    const bad: [string, string, string][] = [
      ['EPIVAULT_QUARANTINE_DAYS', '0', 'quarantine.days'],
      ['EPIVAULT_QUARANTINE_DAYS', '61', 'quarantine.days'],
      ['EPIVAULT_QUARANTINE_DAYS', '7.5', 'quarantine.days'],
      ['EPIVAULT_QUARANTINE_DAYS', '', 'quarantine.days'],
      ['EPIVAULT_QUARANTINE_DAYS', 'two weeks', 'quarantine.days'],
      ['EPIVAULT_QUARANTINE_MAX_EXTENSION_DAYS', '0', 'quarantine.maxExtensionDays'],
      ['EPIVAULT_DISCOVERY_DAYS_BEFORE_ONSET', '-1', 'discovery.daysBeforeOnset'],
      ['EPIVAULT_DISCOVERY_DAYS_BEFORE_ONSET', '22', 'discovery.daysBeforeOnset'],
      ['EPIVAULT_DISCOVERY_BUFFER_MINUTES', '30m', 'discovery.bufferMinutes'],
      ['EPIVAULT_DISCOVERY_BUFFER_MINUTES', '0x10', 'discovery.bufferMinutes'],
      ['EPIVAULT_DISCOVERY_MIN_OVERLAP_MINUTES', '1441', 'discovery.minOverlapMinutes'],
    ];
    for (const [k, v, setting] of bad) {
      assert.throws(() => loadConfig({ data: '/tmp/x' }, { [k]: v }),
        (e: Error) => e instanceof ConfigError && e.message.includes(k) && e.message.includes(`tracing.${setting}`), `${k}=${JSON.stringify(v)}`);
    }
    for (const v of ['0', '0.5', '1441', 'hourly']) {
      assert.throws(() => loadConfig({ data: '/tmp/x' }, { EPIVAULT_RISK_REFRESH_MINUTES: v }), (e: Error) => e instanceof ConfigError && /riskRefreshMinutes/.test(e.message), v);
    }
  });
});
