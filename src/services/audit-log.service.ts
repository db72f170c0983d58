import { eventLeafHash } from '../audit/leaf.ts';
import type { AuditEventFields } from '../audit/leaf.ts';
import { popcount, ProofError, verifyConsistency, verifyInclusion } from '../audit/merkle.ts';
import { formatVerifierKey, logOrigin, NoteError, noteVerifierOf, openCheckpoint, parseVerifierKey, signCheckpoint } from '../audit/note.ts';
import type { Checkpoint, NoteVerifier } from '../audit/note.ts';
import { TiledTree, TileError } from '../audit/tiles.ts';
import type { TileCache, TileSource } from '../audit/tiles.ts';
import { verifyLog } from '../audit/verifier.ts';
import type { LogReader, Problem, VerifyReport } from '../audit/verifier.ts';
import { MERKLE_EMPTY_ROOT } from '../crypto/index.ts';
import type { SigningKey } from '../crypto/index.ts';
import { splitHashes } from '../storage/store.ts';
import type { AuditCheckpointRow, Repositories, Store } from '../storage/store.ts';
import type { AppContext } from './app-context.ts';
import { ServiceError } from './errors.ts';

/**
 * The audit Merkle log as a service (docs/AUDIT.md): signed checkpoints (on demand and on a
 * schedule), inclusion proofs, full verification, verification against a checkpoint kept outside
 * the database, and the offline check of a proof bundle with only the public key.
 */

/** The log's verifier: its origin (key name) and Ed25519 public key. */
export function logVerifier(key: SigningKey): NoteVerifier {
  return noteVerifierOf(logOrigin(key), key);
}

/** The public key in signed-note verifier format, for auditors to keep. */
export function auditPublicKey(ctx: Pick<AppContext, 'keys'>): string {
  return formatVerifierKey(logVerifier(ctx.keys.auditSigning));
}

/** Reads tiles and leaf hashes through the repositories. */
function tileSource(repos: Repositories): TileSource {
  return {
    async leafHashes(from, to) {
      const rows = await repos.audit.leafHashes(from + 1, to);
      if (rows.some((r, i) => r.seq !== from + 1 + i)) throw new TileError(`leaf hashes ${from + 1}..${to} are not dense`);
      return rows.map((r) => r.leaf_hash);
    },
    tile: (level, idx) => repos.audit.tile(level, idx),
  };
}

/**
 * Full tiles never change, so proofs keep their inner hashes between calls, one cache per store.
 * Checks (checkpoint signing, verification) read the tiles afresh instead.
 */
const proofCaches = new WeakMap<Store, TileCache>();

function proofCache(store: Store): TileCache {
  let c = proofCaches.get(store);
  if (!c) {
    c = new Map();
    proofCaches.set(store, c);
  }
  return c;
}

/** The tree of the first `size` events as the stored tiles give it (`edge`: its compact range, if known). */
export function treeAt(repos: Repositories, size: number, cache?: TileCache, edge?: readonly Buffer[]): TiledTree {
  return new TiledTree(tileSource(repos), size, cache, edge);
}

export interface CheckpointResult {
  /** The signed note (C2SP tlog-checkpoint). */
  note: string;
  size: number;
  root: Buffer;
  /** False when a checkpoint of this size already existed (and is returned). */
  created: boolean;
}

/**
 * Signs and stores a checkpoint of the current tree head. Before signing, the head is checked
 * against its tiles and shown consistent with the previous checkpoint, so the log never signs a
 * tree that does not extend what it signed before (c2sp.org/tlog-checkpoint).
 */
export async function writeCheckpoint(ctx: Pick<AppContext, 'store' | 'keys'>): Promise<CheckpointResult> {
  return ctx.store.transaction(async (repos) => {
    const head = await repos.audit.head();
    const existing = await repos.audit.checkpointCovering(head.size);
    if (existing && existing.size === head.size) return { note: existing.note, size: existing.size, root: existing.root, created: false };
    const tree = treeAt(repos, head.size);
    const fromTiles = await tree.root();
    if (!fromTiles.equals(head.root)) throw new ServiceError('ERR_INTERNAL', 'the audit tree head does not match its tiles; run `epivault audit verify`; no checkpoint signed');
    const previous = await repos.audit.checkpointCovering();
    if (previous && previous.size > 0) {
      if (previous.size > head.size) throw new ServiceError('ERR_INTERNAL', `the audit log (size ${head.size}) is shorter than its last checkpoint (size ${previous.size}); no checkpoint signed`);
      try {
        verifyConsistency(previous.size, head.size, await tree.consistencyProof(previous.size), previous.root, head.root);
      } catch (e) {
        if (e instanceof ProofError) throw new ServiceError('ERR_INTERNAL', `the audit log does not extend its last checkpoint (size ${previous.size}): ${e.message}; no checkpoint signed`);
        throw e;
      }
    }
    const note = signCheckpoint({ origin: logOrigin(ctx.keys.auditSigning), size: head.size, root: head.root }, ctx.keys.auditSigning);
    await repos.audit.insertCheckpoint({ size: head.size, root: head.root, note, frontier: Buffer.concat(head.frontier), created_at: new Date().toISOString() });
    return { note, size: head.size, root: head.root, created: true };
  });
}

/** The latest stored checkpoint, if any. */
export async function latestCheckpoint(ctx: Pick<AppContext, 'store'>): Promise<AuditCheckpointRow | undefined> {
  return ctx.store.audit.checkpointCovering();
}

/**
 * Writes a checkpoint every `intervalMs` when the log has grown (the server calls this once at
 * start). Returns a function that stops the schedule. Failures are logged and retried next time.
 */
export function scheduleCheckpoints(ctx: Pick<AppContext, 'store' | 'keys' | 'logger'>, intervalMs: number): () => void {
  if (!Number.isFinite(intervalMs) || intervalMs < 1000) throw new ServiceError('ERR_CONFIG', 'checkpoint interval must be at least 1000 ms', 'checkpointInterval');
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    writeCheckpoint(ctx)
      .then((c) => { if (c.created) ctx.logger.info({ size: c.size }, 'audit checkpoint written'); })
      .catch((e: unknown) => ctx.logger.error({ err: (e as Error).message }, 'audit checkpoint failed'))
      .finally(() => { running = false; });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

export interface InclusionBundle {
  format: 'epivault-audit-inclusion-proof/1';
  seq: number;
  leaf_index: number;
  tree_size: number;
  /** The event as logged (no personal data: the subject appears only as its keyed reference). */
  event: AuditEventFields;
  leaf_hash: string;
  proof: string[];
  /** The signed checkpoint (tree size and root) the proof leads to. */
  checkpoint: string;
}

/**
 * An inclusion proof of event `seq` against the latest checkpoint covering it (one is written
 * if none covers it yet), as a self-contained bundle for `audit verify-proof`.
 */
export async function proveEvent(ctx: Pick<AppContext, 'store' | 'keys'>, seq: number): Promise<InclusionBundle> {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new ServiceError('ERR_VALIDATION', 'event must be a positive integer (the seq)', 'event');
  const head = await ctx.store.audit.head();
  if (seq > head.size) throw new ServiceError('ERR_NOT_FOUND', `no audit event ${seq}: the log has ${head.size} events`);
  let cp = await ctx.store.audit.checkpointCovering(seq);
  if (!cp) {
    await writeCheckpoint(ctx);
    cp = await ctx.store.audit.checkpointCovering(seq);
    if (!cp) throw new ServiceError('ERR_INTERNAL', 'could not write a checkpoint covering the event');
  }
  const checkpoint = cp;
  return ctx.store.transaction(async (repos) => {
    const row = await repos.audit.event(seq);
    if (!row) throw new ServiceError('ERR_NOT_FOUND', `no audit event ${seq}`);
    const { leaf_hash: leafHash, ...event } = row;
    const edge = checkpoint.frontier.length === 32 * popcount(checkpoint.size) ? splitHashes(checkpoint.frontier) : undefined;
    let proof: Buffer[];
    try {
      proof = await treeAt(repos, checkpoint.size, proofCache(ctx.store), edge).inclusionProof(seq - 1);
      // A proof that does not verify is never handed out.
      verifyInclusion(seq - 1, checkpoint.size, leafHash, proof, checkpoint.root);
    } catch (e) {
      proofCaches.delete(ctx.store);
      if (e instanceof ProofError || e instanceof TileError) {
        throw new ServiceError('ERR_INTERNAL', `the stored tree gives no valid proof of event ${seq} (${e.message}); run \`epivault audit verify\``);
      }
      throw e;
    }
    return {
      format: 'epivault-audit-inclusion-proof/1', seq, leaf_index: seq - 1, tree_size: checkpoint.size, event,
      leaf_hash: leafHash.toString('base64'), proof: proof.map((p) => p.toString('base64')), checkpoint: checkpoint.note,
    };
  });
}

export interface ProofCheck {
  seq: number;
  treeSize: number;
  origin: string;
  root: string;
}

/**
 * Checks an inclusion proof bundle offline, with only the log's public key: the checkpoint's
 * signature, the event's leaf hash, and the proof from that leaf to the signed root.
 */
export function verifyProofBundle(text: string, verifierKey: string): ProofCheck {
  const fail = (m: string) => new ServiceError('ERR_VALIDATION', `proof does not verify: ${m}`);
  let verifier: NoteVerifier;
  try {
    verifier = parseVerifierKey(verifierKey);
  } catch (e) {
    throw new ServiceError('ERR_VALIDATION', `bad verifier key: ${(e as Error).message}`, 'key');
  }
  let b: InclusionBundle;
  try {
    b = JSON.parse(text) as InclusionBundle;
  } catch {
    throw fail('the file is not JSON');
  }
  if (b?.format !== 'epivault-audit-inclusion-proof/1' || typeof b.checkpoint !== 'string' || !Array.isArray(b.proof) || typeof b.leaf_hash !== 'string' || typeof b.event !== 'object' || b.event === null) {
    throw fail('the file is not an epivault inclusion proof bundle');
  }
  let cp: Checkpoint;
  try {
    cp = openCheckpoint(b.checkpoint, verifier);
  } catch (e) {
    throw fail(e instanceof NoteError ? e.message : 'unreadable checkpoint');
  }
  if (b.tree_size !== cp.size) throw fail(`the bundle's tree size ${b.tree_size} is not the checkpoint's ${cp.size}`);
  if (b.seq !== b.leaf_index + 1 || b.event.seq !== b.seq) throw fail('the event, seq and leaf index disagree');
  let leaf: Buffer;
  try {
    leaf = eventLeafHash(b.event);
  } catch {
    throw fail('the event cannot be serialized');
  }
  if (leaf.toString('base64') !== b.leaf_hash) throw fail('the event does not hash to the leaf hash (the event was altered)');
  try {
    verifyInclusion(b.leaf_index, cp.size, leaf, b.proof.map((p) => Buffer.from(String(p), 'base64')), cp.root);
  } catch (e) {
    if (e instanceof ProofError) throw fail(e.message);
    throw e;
  }
  return { seq: b.seq, treeSize: cp.size, origin: cp.origin, root: cp.root.toString('base64') };
}

export interface AgainstResult {
  ok: boolean;
  size: number;
  message: string;
}

export interface AuditVerifyResult extends VerifyReport {
  readonly origin: string;
  readonly against?: AgainstResult;
}

function logReader(store: Store): LogReader {
  return {
    head: () => store.audit.head(),
    events: (after, limit) => store.audit.list(after, limit),
    tilesAfter: (level, idx, limit) => store.audit.tilesAfter(level, idx, limit),
    checkpoints: () => store.audit.checkpoints(),
  };
}

export interface VerifyAuditOptions {
  /** A signed checkpoint kept outside the database: prove the log extends it. */
  readonly against?: string;
  /** The verifier key to check that checkpoint with (default: the log's own key). */
  readonly againstKey?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * `epivault audit verify`: recomputes every leaf and the whole tree from the rows and checks the
 * stored leaf hashes, tiles, head and checkpoints; with `against`, also proves (consistency proof
 * from the checkpoint's size to the current size) that the log extends a checkpoint kept elsewhere.
 */
export async function verifyAuditLog(ctx: Pick<AppContext, 'store' | 'keys'>, options: VerifyAuditOptions = {}): Promise<AuditVerifyResult> {
  const own = logVerifier(ctx.keys.auditSigning);
  let external: Checkpoint | undefined;
  if (options.against !== undefined) {
    let verifier = own;
    if (options.againstKey) {
      try {
        verifier = parseVerifierKey(options.againstKey);
      } catch (e) {
        throw new ServiceError('ERR_VALIDATION', `bad verifier key: ${(e as Error).message}`, 'key');
      }
    }
    try {
      external = openCheckpoint(options.against, verifier);
    } catch (e) {
      throw new ServiceError('ERR_VALIDATION', `the checkpoint file is not a checkpoint signed by ${verifier.name}: ${(e as Error).message}`, 'against');
    }
  }
  const report = await verifyLog(logReader(ctx.store), { verifier: own, sizes: external ? [external.size] : [], onProgress: options.onProgress });
  const result: AuditVerifyResult = { ...report, origin: own.name };
  if (!external) return result;
  const against = await checkAgainst(ctx.store, external, report);
  return { ...result, ok: report.ok && against.ok, against };
}

async function checkAgainst(store: Store, cp: Checkpoint, report: VerifyReport): Promise<AgainstResult> {
  const head = await store.audit.head();
  const prefix = `the log (size ${head.size}) does not extend the checkpoint of size ${cp.size}`;
  if (cp.size > head.size) return { ok: false, size: cp.size, message: `${prefix}: it is shorter than the checkpoint, so events were deleted` };
  if (cp.size === 0) {
    return cp.root.equals(MERKLE_EMPTY_ROOT) ? { ok: true, size: 0, message: 'the checkpoint is of the empty log' } : { ok: false, size: 0, message: `${prefix}: an empty checkpoint with a non-empty root` };
  }
  // What an outside auditor does: a consistency proof from the stored tiles, checked against the kept root.
  try {
    const proof = cp.size === head.size ? [] : await store.transaction((repos) => treeAt(repos, head.size).consistencyProof(cp.size));
    verifyConsistency(cp.size, head.size, proof, cp.root, head.root);
  } catch (e) {
    if (e instanceof ProofError || e instanceof TileError) {
      return { ok: false, size: cp.size, message: `${prefix}: the consistency proof from size ${cp.size} to ${head.size} fails (${e.message}): the log was rewritten after that checkpoint was signed` };
    }
    throw e;
  }
  // And the rows themselves: the first cp.size events must still hash to the kept root.
  const fromRows = report.rootsAt.get(cp.size);
  if (!fromRows || !fromRows.equals(cp.root)) {
    return { ok: false, size: cp.size, message: `${prefix}: the first ${cp.size} events no longer hash to its root: they were changed after it was signed` };
  }
  return { ok: true, size: cp.size, message: `the log (size ${head.size}) extends the checkpoint of size ${cp.size}: consistency proof verified` };
}

/**
 * Appends events written before the Merkle log existed (migration 0002) to the log, in their
 * order, in resumable batches; a no-op once done. Called when the application opens.
 */
export async function adoptLegacyAuditEvents(store: Store, batch = 5000): Promise<number> {
  if (!(await store.audit.legacyPending())) return 0;
  let total = 0;
  for (;;) {
    const n = await store.transaction((repos) => repos.audit.adoptLegacy(batch));
    if (n === 0) return total;
    total += n;
  }
}

/** The first problem of a failed verification, as one line (for the CLI and logs). */
export function describeProblem(p: Problem): string {
  return p.message;
}
