import 'server-only';
import { z } from 'zod';
import { now } from '@/lib/clock';
import { AppError, isAppError } from '@/lib/errors';
import { logger } from '@/lib/log';
import type { TBaseDoc, TCollection, TStore } from '@/lib/store/types';
import { getJobDefinitionOrThrow, toStoredPayload } from './registry';
import { resolveStore } from './store';
import type { TJobEngine } from './types';

/**
 * Deadlines are data: a reminder or escalation is a document with `dueAt`, not a timer in Redis.
 * The sweeper claims due ones atomically (exactly one claimant per claim), enqueues the job, and the
 * job marks the deadline done. A deadline whose claim is not finished within the lease goes back to
 * `pending` (a worker crashed, Redis was flushed) and is claimed again, so nothing is lost.
 *
 * Status: pending → queued (claimed, job enqueued) → running → done | failed; cancelled from any open state.
 * All times use the simulated clock `now()`; production runs with offset 0.
 */
export type TDeadlineStatus = 'pending' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface TDeadline extends TBaseDoc {
  /** Caller's stable key, e.g. `case:<id>:plan-review`; one deadline per key. */
  key: string;
  /** Job name from the registry. */
  job: string;
  payload: unknown;
  dueAt: Date;
  status: TDeadlineStatus;
  /** Incremented by every claim; the job id carries it so that a stale claim's job is ignored. */
  claimNo: number;
  claimedAt?: Date;
  /** While queued/running: when the claim expires and the sweeper may hand it out again. */
  leaseUntil?: Date;
  doneAt?: Date;
  lastError?: string;
}

export const DEFAULT_LEASE_MS = 5 * 60_000;
const OPEN_STATUSES: TDeadlineStatus[] = ['pending', 'queued', 'running'];

const ZScheduleInput = z.object({
  key: z.string().min(1).max(300),
  job: z.string().min(1),
  payload: z.unknown(),
  dueAt: z.date(),
});
export type TScheduleDeadlineInput = z.infer<typeof ZScheduleInput>;

interface TStoreOption {
  /** Defaults to `getStore()`; tests pass an embedded store on a temp dir. */
  store?: TStore;
}

async function deadlines(store?: TStore): Promise<TCollection<TDeadline>> {
  return (await resolveStore(store)).collection<TDeadline>('deadlines');
}

/**
 * Creates the deadline for `key`, or moves a pending/cancelled one to the new `dueAt` (and job/payload).
 * A deadline that is already queued, running, done or failed is returned unchanged: re-scheduling the
 * same key (an outbox replay, a double click) never sends a reminder twice.
 */
export async function scheduleDeadline(input: TScheduleDeadlineInput, opts: TStoreOption = {}): Promise<TDeadline> {
  const parsed = ZScheduleInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('validation', 'Invalid deadline', { details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  const { key, job, dueAt } = parsed.data;
  const payload = toStoredPayload(getJobDefinitionOrThrow(job), input.payload);
  const col = await deadlines(opts.store);
  const set = { job, payload, dueAt, status: 'pending' as const };
  // Two passes cover the race where another process inserts the same key between our update and insert.
  for (let pass = 0; pass < 2; pass++) {
    const updated = await col.findOneAndUpdate({ key, status: { $in: ['pending', 'cancelled'] } }, { $set: set, $unset: { lastError: '' } });
    if (updated) return updated;
    const existing = await col.findOne({ key });
    if (existing) return existing;
    try {
      return await col.insertOne({ key, ...set, claimNo: 0 });
    } catch (e) {
      if (!(isAppError(e) && e.code === 'conflict')) throw e;
    }
  }
  const existing = await col.findOne({ key });
  if (!existing) throw new AppError('internal', `Deadline ${key} vanished while scheduling`);
  return existing;
}

/** Cancels an open deadline. Returns whether one was cancelled. A running job finishes but is not marked done. */
export async function cancelDeadline(key: string, opts: TStoreOption = {}): Promise<boolean> {
  const col = await deadlines(opts.store);
  const doc = await col.findOneAndUpdate({ key, status: { $in: OPEN_STATUSES } }, { $set: { status: 'cancelled' }, $unset: { leaseUntil: '' } });
  return doc !== null;
}

export async function findDeadline(key: string, opts: TStoreOption = {}): Promise<TDeadline | null> {
  return (await deadlines(opts.store)).findOne({ key });
}

export interface TSweepOptions extends TStoreOption {
  engine: TJobEngine;
  /** Defaults to the simulated clock's `now()`. */
  now?: Date;
  /** Most deadlines claimed in one sweep (the next sweep takes the rest). Default 100. */
  limit?: number;
  leaseMs?: number;
}

export interface TSweepResult {
  /** Deadlines claimed and enqueued by this sweep. */
  enqueued: number;
  /** Claims whose lease had expired and went back to pending. */
  reclaimed: number;
  /** Deadlines that could not be enqueued because their job or payload is no longer valid. */
  failed: number;
}

/**
 * Processes due work once. Safe to run concurrently in any number of processes: each claim is a
 * single atomic `findOneAndUpdate` conditional on `status: 'pending'`, so exactly one sweeper wins it.
 */
export async function sweepDueDeadlines(opts: TSweepOptions): Promise<TSweepResult> {
  const col = await deadlines(opts.store);
  const at = opts.now ?? now();
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const limit = opts.limit ?? 100;
  const log = logger().child({ component: 'deadlines' });
  const result: TSweepResult = { enqueued: 0, reclaimed: 0, failed: 0 };

  result.reclaimed = await col.updateMany({ status: { $in: ['queued', 'running'] }, leaseUntil: { $lte: at } }, { $set: { status: 'pending' }, $unset: { leaseUntil: '' } });
  if (result.reclaimed > 0) log.warn({ count: result.reclaimed }, 'deadline leases expired; re-queuing');

  while (result.enqueued + result.failed < limit) {
    const claimed = await col.findOneAndUpdate(
      { status: 'pending', dueAt: { $lte: at } },
      { $set: { status: 'queued', claimedAt: at, leaseUntil: new Date(at.getTime() + leaseMs) }, $inc: { claimNo: 1 } },
      { sort: { dueAt: 1 } },
    );
    if (!claimed) break;
    try {
      await opts.engine.enqueue(claimed.job, claimed.payload, { jobId: toDeadlineJobId(claimed._id, claimed.claimNo) });
      result.enqueued++;
    } catch (e) {
      if (isAppError(e) && e.code === 'validation') {
        // The pack or code changed since scheduling; retrying cannot help. Visible to operators as `failed`.
        await col.findOneAndUpdate({ _id: claimed._id, claimNo: claimed.claimNo }, { $set: { status: 'failed', lastError: e.message }, $unset: { leaseUntil: '' } });
        log.error({ deadlineId: claimed._id, job: claimed.job, err: e.message }, 'deadline cannot be enqueued');
        result.failed++;
        continue;
      }
      // The queue is unreachable: give the claim back now rather than waiting for the lease.
      await col.findOneAndUpdate({ _id: claimed._id, claimNo: claimed.claimNo, status: 'queued' }, { $set: { status: 'pending' }, $unset: { leaseUntil: '' } });
      throw e;
    }
  }
  if (result.enqueued > 0) log.info({ enqueued: result.enqueued }, 'due deadlines enqueued');
  return result;
}

// --- used by the job runner (lib/jobs/run-job.ts) --------------------------------------------------

const DEADLINE_JOB_ID = /^deadline\.([A-Za-z0-9_-]+)\.(\d+)$/;

/** Job ids of deadline jobs: `deadline.<deadlineId>.<claimNo>` (BullMQ forbids `:` in ids). */
export function toDeadlineJobId(deadlineId: string, claimNo: number): string {
  return `deadline.${deadlineId}.${claimNo}`;
}

export function parseDeadlineJobId(jobId: string): { deadlineId: string; claimNo: number } | null {
  const m = DEADLINE_JOB_ID.exec(jobId);
  return m ? { deadlineId: m[1], claimNo: Number(m[2]) } : null;
}

/**
 * Starts (or, after a crash, restarts) the run of one claim. Returns null when the claim is no longer
 * current (done, cancelled, re-claimed after a lost lease): the job then does nothing.
 */
export async function beginDeadlineRun(store: TStore, ref: { deadlineId: string; claimNo: number }): Promise<TDeadline | null> {
  return store.collection<TDeadline>('deadlines').findOneAndUpdate(
    { _id: ref.deadlineId, claimNo: ref.claimNo, status: { $in: ['queued', 'running'] } },
    { $set: { status: 'running', leaseUntil: new Date(now().getTime() + DEFAULT_LEASE_MS) } },
  );
}

/** Long handlers renew the lease whenever they report progress. */
export async function renewDeadlineLease(store: TStore, ref: { deadlineId: string; claimNo: number }): Promise<void> {
  await store.collection<TDeadline>('deadlines').findOneAndUpdate(
    { _id: ref.deadlineId, claimNo: ref.claimNo, status: 'running' },
    { $set: { leaseUntil: new Date(now().getTime() + DEFAULT_LEASE_MS) } },
  );
}

export async function finishDeadlineRun(
  store: TStore,
  ref: { deadlineId: string; claimNo: number },
  outcome: { ok: true } | { ok: false; error: string; isFinal: boolean },
): Promise<void> {
  const col = store.collection<TDeadline>('deadlines');
  const current = { _id: ref.deadlineId, claimNo: ref.claimNo, status: 'running' };
  if (outcome.ok) {
    await col.findOneAndUpdate(current, { $set: { status: 'done', doneAt: now() }, $unset: { leaseUntil: '', lastError: '' } });
  } else if (outcome.isFinal) {
    await col.findOneAndUpdate(current, { $set: { status: 'failed', lastError: outcome.error }, $unset: { leaseUntil: '' } });
  } else {
    // A retry follows; it resumes this claim (`running` is accepted by beginDeadlineRun).
    await col.findOneAndUpdate(current, { $set: { lastError: outcome.error } });
  }
}
