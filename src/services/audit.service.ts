import { subjectReference } from '../crypto/index.ts';
import type { Repositories } from '../storage/store.ts';
import type { KeySet } from './keys.service.ts';

/** Who does something: a staff account, or `system:cli:<os user>` for the command line. */
export interface Actor {
  readonly id: string;
  readonly role: string;
}

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditInput {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  /** The subject concerned; stored only as a keyed HMAC reference. */
  subjectId?: string | null;
  /** An already computed subject reference (bulk paths compute it with the sealing). */
  subjectRef?: string | null;
  purpose: string;
  reason?: string | null;
  outcome: AuditOutcome;
  requestId?: string | null;
}

/**
 * Appends one audit event inside the caller's transaction. Services call this before returning
 * personal data and in the same transaction as any change, so a failed audit write fails the
 * whole operation (fail closed).
 */
export async function appendAudit(repos: Repositories, keys: Pick<KeySet, 'auditSubject'>, actor: Actor, input: AuditInput, at = new Date().toISOString()): Promise<number> {
  return repos.audit.append(toAuditRow(keys, actor, input, at));
}

export function toAuditRow(keys: Pick<KeySet, 'auditSubject'>, actor: Actor, input: AuditInput, at: string) {
  return {
    at,
    actor: actor.id,
    actor_role: actor.role,
    action: input.action,
    resource_type: input.resourceType,
    resource_id: input.resourceId ?? null,
    subject_ref: input.subjectRef ?? (input.subjectId ? subjectReference(keys.auditSubject, input.subjectId) : null),
    purpose: input.purpose,
    reason: input.reason ?? null,
    outcome: input.outcome,
    request_id: input.requestId ?? null,
  };
}

/**
 * Group commit for the audit events of reads (issue #3: "audit events committed in small groups,
 * each still before its response"). `append` resolves only once the event is committed; events
 * that arrive while a commit is running wait for it and are then committed together in one
 * transaction (one lock of the log, one tree update). If a group's commit fails, every request in
 * it fails (fail closed) and the next group starts afresh.
 *
 * An idle writer starts its commit in the event loop's next check phase (`setImmediate`), not at
 * once: with SQLite every query of a request runs synchronously, so the requests the server reads
 * in one turn of the event loop each run to their `append` within that turn, and they commit
 * together. Started at once, the first one's commit would run before the next request was even
 * parsed, and every group would hold one event (measured: 14,993 groups for 14,993 reads). A lone
 * request waits only for the rest of the current turn.
 */
export class AuditGroupWriter {
  private queue: { row: ReturnType<typeof toAuditRow>; resolve: (seq: number) => void; reject: (e: unknown) => void }[] = [];
  private flushing = false;
  private scheduled = false;

  constructor(
    private readonly store: { transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> },
    private readonly keys: Pick<KeySet, 'auditSubject'>,
    /** Most events committed in one transaction. */
    private readonly maxGroup = 256,
  ) {}

  /** Appends one event; resolves with its seq after the commit that holds it. */
  append(actor: Actor, input: AuditInput, at = new Date().toISOString()): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ row: toAuditRow(this.keys, actor, input, at), resolve, reject });
      if (!this.flushing && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          if (!this.flushing) void this.flush();
        });
      }
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroup);
        try {
          const seqs = await this.store.transaction((repos) => repos.audit.appendMany(group.map((g) => g.row)));
          group.forEach((g, i) => g.resolve(seqs[i]!));
        } catch (e) {
          for (const g of group) g.reject(e);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
