import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/engines.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestApp } from '../../test/support/app.ts';
import { injectAuditFault } from '../../test/support/raw-sql.ts';
import type { Repositories } from '../storage/store.ts';
import { AuditGroupWriter } from './audit.service.ts';
import type { Actor, AuditInput } from './audit.service.ts';
import { verifyAuditLog } from './audit-log.service.ts';

const actor: Actor = { id: 'st_test', role: 'investigator' };
const read = (i: number): AuditInput => ({ action: 'read', resourceType: 'case', resourceId: `c_${i}`, subjectId: `s_${i}`, purpose: 'case_investigation', outcome: 'success', requestId: `req-${i}` });

for (const { engine, skip } of await engines()) {
  describe(`audit group commit on ${engine}`, { skip }, () => {
    let app: TestApp;
    before(async () => { app = await testApp(engine); });
    after(async () => { await app?.cleanup(); });

    /** The application's store, counting the transactions the writer opens. */
    const counting = () => {
      let transactions = 0;
      const store = { transaction: <T>(fn: (repos: Repositories) => Promise<T>) => { transactions++; return app.ctx.store.transaction(fn); } };
      return { store, count: () => transactions };
    };

    it('commits concurrent events in groups, each resolved after its commit, with a dense verifiable log', async () => {
      const { store, count } = counting();
      const writer = new AuditGroupWriter(store, app.ctx.keys, 64);
      const before = await app.ctx.store.audit.count();
      const seqs = await Promise.all(Array.from({ length: 300 }, (_, i) => writer.append(actor, read(i))));
      assert.deepEqual([...seqs].sort((a, b) => a - b), Array.from({ length: 300 }, (_, i) => before + i + 1));
      assert.ok(count() >= 300 / 64 && count() < 30, `300 events in ${count()} transactions`);
      for (const [i, seq] of seqs.entries()) {
        const e = await app.ctx.store.audit.event(seq);
        assert.equal(e?.request_id, `req-${i}`, 'each caller gets the seq of its own event');
      }
      assert.equal((await verifyAuditLog(app.ctx)).ok, true);
    });

    it('commits a lone event at once, in its own transaction', async () => {
      const { store, count } = counting();
      const writer = new AuditGroupWriter(store, app.ctx.keys);
      const seq = await writer.append(actor, read(1));
      assert.equal(count(), 1);
      assert.equal((await app.ctx.store.audit.event(seq))?.action, 'read');
    });

    it('fails every request of a group whose commit fails, and recovers for the next group', async () => {
      const writer = new AuditGroupWriter(app.ctx.store, app.ctx.keys);
      const size = await app.ctx.store.audit.count();
      const removeFault = await injectAuditFault(app.db);
      try {
        const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => writer.append(actor, read(i))));
        assert.ok(results.every((r) => r.status === 'rejected' && /injected audit fault/.test(String(r.reason))));
        assert.equal(await app.ctx.store.audit.count(), size, 'nothing was written');
      } finally {
        await removeFault();
      }
      assert.equal(await writer.append(actor, read(99)), size + 1);
      assert.equal((await verifyAuditLog(app.ctx)).ok, true);
    });
  });
}
