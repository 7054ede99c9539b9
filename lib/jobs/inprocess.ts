import 'server-only';
import { isAppError } from '@/lib/errors';
import { newId } from '@/lib/ids';
import { logger } from '@/lib/log';
import type { TBaseDoc, TCollection, TStore } from '@/lib/store/types';
import { assertValidJobId, backoffDelayMs, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF, getJobDefinitionOrThrow, isPermanentJobError, toStoredPayload, type TJobBackoff } from './registry';
import { errorMessage, executeJob } from './run-job';
import { resolveStore } from './store';
import type { TEnqueueOptions, TJobEngine, TJobRun, TJobState } from './types';

/** A job of the in-process engine, persisted so the UI sees progress and a restart resumes the queue. */
export interface TJobRunDoc extends TBaseDoc {
  name: string;
  payload: unknown;
  state: TJobState;
  /** Real time (not the simulated clock) at which the job may run next. */
  runAt: Date;
  attemptsMade: number;
  maxAttempts: number;
  backoff: TJobBackoff;
  progress: number;
  note?: string;
  error?: string;
  startedAt?: Date;
  finishedAt?: Date;
}

export interface TInProcessOptions {
  store?: TStore;
  /** Jobs running at once. Default 2. */
  concurrency?: number;
  /** Completed runs older than this are deleted when the worker starts. Default 7 days. */
  keepCompletedMs?: number;
}

/**
 * The embedded-default engine: jobs live in the `jobRuns` collection and run in this process.
 * Single process by design (like the embedded store); set REDIS_URL to run several instances.
 */
export class InProcessJobEngine implements TJobEngine {
  readonly kind = 'inprocess' as const;
  private readonly concurrency: number;
  private readonly keepCompletedMs: number;
  private readonly ready: string[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private isStarted = false;
  private isClosing = false;
  private readonly log = logger().child({ component: 'jobs', engine: 'inprocess' });

  constructor(private readonly opts: TInProcessOptions = {}) {
    this.concurrency = opts.concurrency ?? 2;
    this.keepCompletedMs = opts.keepCompletedMs ?? 7 * 24 * 3600_000;
  }

  private async runs(): Promise<TCollection<TJobRunDoc>> {
    return (await resolveStore(this.opts.store)).collection<TJobRunDoc>('jobRuns');
  }

  async enqueue(name: string, payload: unknown, opts: TEnqueueOptions = {}): Promise<string> {
    const def = getJobDefinitionOrThrow(name);
    const stored = toStoredPayload(def, payload);
    const jobId = opts.jobId ?? newId();
    assertValidJobId(jobId);
    const delayMs = Math.max(0, opts.delayMs ?? 0);
    const runAt = new Date(Date.now() + delayMs);
    try {
      await (await this.runs()).insertOne({
        _id: jobId,
        name,
        payload: stored,
        state: delayMs > 0 ? 'delayed' : 'waiting',
        runAt,
        attemptsMade: 0,
        maxAttempts: def.attempts ?? DEFAULT_ATTEMPTS,
        backoff: def.backoff ?? DEFAULT_BACKOFF,
        progress: 0,
      });
    } catch (e) {
      if (isAppError(e) && e.code === 'conflict') return jobId; // known id: idempotent no-op
      throw e;
    }
    if (this.isStarted) this.schedule(jobId, runAt);
    return jobId;
  }

  async getRun(jobId: string): Promise<TJobRun | null> {
    const doc = await (await this.runs()).findById(jobId);
    if (!doc) return null;
    return {
      jobId: doc._id,
      name: doc.name,
      state: doc.state,
      progress: doc.progress,
      ...(doc.note !== undefined ? { note: doc.note } : {}),
      ...(doc.error !== undefined ? { error: doc.error } : {}),
      attemptsMade: doc.attemptsMade,
    };
  }

  async startWorker(): Promise<void> {
    if (this.isStarted || this.isClosing) return;
    this.isStarted = true;
    const runs = await this.runs();
    // Jobs that were active when the process stopped never finished: run them again (handlers are idempotent).
    const resumed = await runs.updateMany({ state: 'active' }, { $set: { state: 'waiting', runAt: new Date() } });
    if (resumed > 0) this.log.warn({ count: resumed }, 'resuming jobs interrupted by a restart');
    await runs.deleteMany({ state: 'completed', finishedAt: { $lt: new Date(Date.now() - this.keepCompletedMs) } });
    const pending = await runs.find({ state: { $in: ['waiting', 'delayed'] } }, { sort: { runAt: 1 }, projection: { _id: 1, runAt: 1 } });
    for (const run of pending) this.schedule(run._id, new Date(run.runAt));
  }

  async ping(): Promise<void> {
    await (await resolveStore(this.opts.store)).ping();
  }

  async close(): Promise<void> {
    this.isClosing = true;
    this.isStarted = false;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.ready.length = 0;
    await Promise.allSettled([...this.inFlight]);
  }

  private schedule(jobId: string, runAt: Date): void {
    if (this.isClosing) return;
    const wait = runAt.getTime() - Date.now();
    if (wait <= 0) {
      this.ready.push(jobId);
      this.pump();
      return;
    }
    clearTimeout(this.timers.get(jobId));
    // Timers do not keep the process alive: the persisted run is picked up again at the next start.
    const timer = setTimeout(() => {
      this.timers.delete(jobId);
      this.ready.push(jobId);
      this.pump();
    }, wait);
    timer.unref();
    this.timers.set(jobId, timer);
  }

  private pump(): void {
    while (!this.isClosing && this.inFlight.size < this.concurrency && this.ready.length > 0) {
      const jobId = this.ready.shift()!;
      const p: Promise<void> = this.runOne(jobId)
        .catch((e) => this.log.error({ jobId, err: errorMessage(e) }, 'job runner error'))
        .finally(() => {
          this.inFlight.delete(p);
          this.pump();
        });
      this.inFlight.add(p);
    }
  }

  private async runOne(jobId: string): Promise<void> {
    const runs = await this.runs();
    const run = await runs.findOneAndUpdate({ _id: jobId, state: { $in: ['waiting', 'delayed'] } }, { $set: { state: 'active', startedAt: new Date() } });
    if (!run) return; // already taken, finished or unknown
    const attempt = run.attemptsMade + 1;
    try {
      await executeJob({
        store: await resolveStore(this.opts.store),
        name: run.name,
        payload: run.payload,
        jobId,
        attempt,
        maxAttempts: run.maxAttempts,
        reportProgress: async (progress, note) => {
          await runs.findOneAndUpdate({ _id: jobId, state: 'active' }, note === undefined ? { $set: { progress } } : { $set: { progress, note } });
        },
      });
    } catch (e) {
      const error = errorMessage(e);
      if (isPermanentJobError(e) || attempt >= run.maxAttempts) {
        await runs.findOneAndUpdate({ _id: jobId }, { $set: { state: 'failed', error, attemptsMade: attempt, finishedAt: new Date() } });
        this.log.error({ job: run.name, jobId, attempt, err: error }, 'job failed');
        return;
      }
      const runAt = new Date(Date.now() + backoffDelayMs(run.backoff, attempt));
      await runs.findOneAndUpdate({ _id: jobId }, { $set: { state: 'delayed', error, attemptsMade: attempt, runAt } });
      this.log.warn({ job: run.name, jobId, attempt, retryAt: runAt, err: error }, 'job attempt failed; retrying');
      this.schedule(jobId, runAt);
      return;
    }
    await runs.findOneAndUpdate({ _id: jobId }, { $set: { state: 'completed', progress: 100, attemptsMade: attempt, finishedAt: new Date() } });
  }
}
