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
