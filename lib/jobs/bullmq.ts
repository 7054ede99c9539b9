import 'server-only';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';
import { logger } from '@/lib/log';
import type { TStore } from '@/lib/store/types';
import { assertValidJobId, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF, getJobDefinitionOrThrow, isPermanentJobError, toStoredPayload } from './registry';
import { errorMessage, executeJob } from './run-job';
import { resolveStore } from './store';
import type { TEnqueueOptions, TJobEngine, TJobRun, TJobState } from './types';

/** One queue carries every job; the job name picks the handler. */
export const QUEUE_NAME = 'jobs';

export interface TBullmqOptions {
  redisUrl?: string;
  /** Redis key prefix (BullMQ `prefix`), so several installs or test runs can share one Redis. Default env JOBS_PREFIX. */
  prefix?: string;
  store?: TStore;
  /** Jobs one worker runs at once. Default 4. */
  concurrency?: number;
}

interface TStoredProgress {
  pct: number;
  note?: string;
}

const CONNECT_TIMEOUT_MS = 2_000;

/**
 * BullMQ engine. The producer (web requests) and the worker use separate ioredis connections: the
 * worker's blocking commands must never delay an enqueue, and a worker connection must retry forever
 * (`maxRetriesPerRequest: null`) while a producer should fail fast so a request returns an error.
 */
export class BullmqJobEngine implements TJobEngine {
  readonly kind = 'bullmq' as const;
  private readonly redisUrl: string;
  private readonly prefix: string;
  private readonly producer: Redis;
  private readonly queue: Queue;
  private worker?: Worker;
  private workerConnection?: Redis;
  private readonly log = logger().child({ component: 'jobs', engine: 'bullmq' });

  constructor(private readonly opts: TBullmqOptions = {}) {
    const url = opts.redisUrl ?? env().REDIS_URL;
    if (!url) throw new Error('BullmqJobEngine needs REDIS_URL');
    this.redisUrl = url;
    this.prefix = opts.prefix ?? env().JOBS_PREFIX;
    // Fail fast: an enqueue while Redis is down errors at once instead of buffering and surfacing later.
    this.producer = new Redis(url, { maxRetriesPerRequest: 3, enableOfflineQueue: false, connectionName: `${this.prefix}-producer` });
    watchConnection(this.producer, 'producer', this.log);
    this.queue = new Queue(QUEUE_NAME, { connection: this.producer, prefix: this.prefix });
    // Connection outages are reported once by watchConnection; other queue errors are worth a warning.
    this.queue.on('error', (e) => (this.producer.status === 'ready' ? this.log.warn({ err: e.message }, 'queue error') : this.log.debug({ err: e.message }, 'queue error')));
  }

  async enqueue(name: string, payload: unknown, opts: TEnqueueOptions = {}): Promise<string> {
    const def = getJobDefinitionOrThrow(name);
    const data = toStoredPayload(def, payload);
    const jobId = opts.jobId ?? newId();
    assertValidJobId(jobId);
    const backoff = def.backoff ?? DEFAULT_BACKOFF;
    await this.waitForProducer();
    try {
      // A jobId that already exists is ignored by BullMQ: enqueueing is idempotent.
      await this.queue.add(name, data, {
        jobId,
        delay: Math.max(0, opts.delayMs ?? 0),
        attempts: def.attempts ?? DEFAULT_ATTEMPTS,
        backoff: { type: backoff.type, delay: backoff.delayMs },
        // Finished jobs are kept for the UI for a while; deadlines (in the store) are the durable record.
        removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
        removeOnFail: { age: 30 * 24 * 3600 },
      });
    } catch (cause) {
      throw new AppError('unavailable', 'Kolejka zadań jest niedostępna', { cause });
    }
    return jobId;
  }

  async getRun(jobId: string): Promise<TJobRun | null> {
    let job = await this.queue.getJob(jobId);
    if (!job) return null;
    const state = toJobState(await job.getState());
    if (!state) return null;
    // The job hash and its state are two reads; if it finished in between, read the finished hash.
    if ((state === 'completed' || state === 'failed') && !job.finishedOn) job = (await this.queue.getJob(jobId)) ?? job;
    const progress = readProgress(job.progress);
    return {
      jobId,
      name: job.name,
      state,
      progress: state === 'completed' ? 100 : progress.pct,
      ...(progress.note !== undefined ? { note: progress.note } : {}),
      ...(job.failedReason ? { error: job.failedReason } : {}),
      attemptsMade: job.attemptsMade,
    };
  }

  async startWorker(): Promise<void> {
    if (this.worker) return;
    const store = await resolveStore(this.opts.store);
    this.workerConnection = new Redis(this.redisUrl, { maxRetriesPerRequest: null, connectionName: `${this.prefix}-worker` });
    watchConnection(this.workerConnection, 'worker', this.log);
    this.worker = new Worker(
      QUEUE_NAME,
      async (job: Job) => {
        try {
          await executeJob({
            store,
            name: job.name,
            payload: job.data,
            jobId: job.id!,
            attempt: job.attemptsMade + 1,
            maxAttempts: job.opts.attempts ?? 1,
            reportProgress: (pct, note) => job.updateProgress(note === undefined ? { pct } : { pct, note }),
          });
        } catch (e) {
          // BullMQ retries any error except UnrecoverableError.
          if (isPermanentJobError(e)) throw new UnrecoverableError(errorMessage(e));
          throw e;
        }
      },
      { connection: this.workerConnection, prefix: this.prefix, concurrency: this.opts.concurrency ?? 4 },
    );
    this.worker.on('failed', (job, err) => this.log.warn({ job: job?.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'job attempt failed'));
    this.worker.on('error', (e) => (this.workerConnection?.status === 'ready' ? this.log.error({ err: e.message }, 'worker error') : this.log.debug({ err: e.message }, 'worker error')));
    // Not awaited: with Redis down the web process must still boot (health says degraded); BullMQ connects when it can.
    this.worker.waitUntilReady().catch((e: Error) => this.log.error({ err: e.message }, 'worker could not connect'));
  }

  async ping(): Promise<void> {
    await this.waitForProducer();
    await this.producer.ping();
  }

  /** BullMQ would wait for a connection forever; a request must get an answer (AppError('unavailable')). */
  private async waitForProducer(): Promise<void> {
    if (this.producer.status === 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    let onReady: (() => void) | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        onReady = resolve;
        this.producer.once('ready', onReady);
        timer = setTimeout(() => reject(new AppError('unavailable', 'Kolejka zadań jest niedostępna (Redis nie odpowiada)')), CONNECT_TIMEOUT_MS);
      });
    } finally {
      clearTimeout(timer);
      if (onReady) this.producer.off('ready', onReady);
    }
  }

  async close(): Promise<void> {
    // Worker first: it waits for running jobs to finish, then stops taking new ones. Without a connection
    // a graceful close would wait forever; force it (interrupted jobs stall and are retried by BullMQ).
    if (this.worker) await this.worker.close(this.workerConnection?.status !== 'ready');
    await this.queue.close();
    // BullMQ does not close connections it was given.
    await Promise.allSettled([quit(this.workerConnection), quit(this.producer)]);
  }
}

/** Logs an outage once and its end once, instead of every reconnect attempt. */
function watchConnection(conn: Redis, role: string, log: Logger): void {
  let isDown = false;
  conn.on('error', (e: Error) => {
    if (isDown) return;
    isDown = true;
    log.error({ role, err: e.message }, 'redis connection lost; reconnecting');
  });
  conn.on('ready', () => {
    if (!isDown) return;
    isDown = false;
    log.info({ role }, 'redis connection restored');
  });
}

async function quit(conn: Redis | undefined): Promise<void> {
  if (!conn || conn.status === 'end') return;
  try {
    await conn.quit();
  } catch {
    conn.disconnect();
  }
}

function toJobState(s: string): TJobState | null {
  switch (s) {
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
      return 'waiting';
    case 'delayed':
    case 'active':
    case 'completed':
    case 'failed':
      return s;
    default:
      return null;
  }
}

function readProgress(p: unknown): TStoredProgress {
  if (typeof p === 'number') return { pct: p };
  if (p && typeof p === 'object' && typeof (p as TStoredProgress).pct === 'number') return p as TStoredProgress;
  return { pct: 0 };
}
