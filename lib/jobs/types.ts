import type { Logger } from 'pino';

/** Where a job stands, as the UI shows it. Both engines report the same states. */
export type TJobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

export interface TJobRun {
  jobId: string;
  name: string;
  state: TJobState;
  /** 0–100, for a progress bar. */
  progress: number;
  /** Short human text next to the bar (e.g. "eksport 120/400"); never personal data. */
  note?: string;
  /** Message of the last failed attempt (also while a retry is scheduled). */
  error?: string;
  /** Attempts that have finished (successfully or not). */
  attemptsMade: number;
}

export interface TEnqueueOptions {
  /** Run no earlier than this many milliseconds from now (real time, not the simulated clock). */
  delayMs?: number;
  /**
   * Idempotency key: enqueueing an id that is already known is a no-op returning the same id.
   * Letters, digits, `.`, `_`, `-` only (BullMQ reserves `:`), and not a bare integer.
   */
  jobId?: string;
}

export interface TJobContext {
  jobId: string;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** Reports progress for the UI; `pct` is clamped to 0–100. Also renews a deadline's lease. */
  progress(pct: number, note?: string): Promise<void>;
  log: Logger;
}

export type TJobEngineKind = 'inprocess' | 'bullmq';

/** The job port. `getJobs()` returns the engine chosen by the environment. */
export interface TJobEngine {
  readonly kind: TJobEngineKind;
  /**
   * Validates `payload` against the job's schema (AppError('validation') when it does not fit, or when
   * the job name is unknown) and queues it. Returns the job id.
   */
  enqueue(name: string, payload: unknown, opts?: TEnqueueOptions): Promise<string>;
  getRun(jobId: string): Promise<TJobRun | null>;
  /** Starts consuming jobs in this process. Idempotent. */
  startWorker(): Promise<void>;
  /** Throws when the engine's backend is unreachable (used by /api/health). */
  ping(): Promise<void>;
  /** Stops the worker after running jobs finish, then releases connections/timers. */
  close(): Promise<void>;
}
