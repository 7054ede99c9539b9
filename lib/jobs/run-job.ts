import 'server-only';
import { logger } from '@/lib/log';
import type { TStore } from '@/lib/store/types';
import { beginDeadlineRun, finishDeadlineRun, parseDeadlineJobId, renewDeadlineLease } from './deadlines';
import { getJobDefinitionOrThrow, isPermanentJobError, parseJobPayload } from './registry';
import type { TJobContext } from './types';

export interface TExecuteJobInput {
  store: TStore;
  name: string;
  payload: unknown;
  jobId: string;
  /** 1-based. */
  attempt: number;
  maxAttempts: number;
  reportProgress: (pct: number, note?: string) => Promise<void>;
}

/**
 * Runs one attempt of a job, the same way in both engines: look the job up, re-validate the payload
 * (it may have been queued by an older release), run the handler, and settle the deadline when the job
 * belongs to one. Throws what the handler threw; `isPermanentJobError` tells the engine not to retry.
 */
export async function executeJob(input: TExecuteJobInput): Promise<void> {
  const log = logger().child({ job: input.name, jobId: input.jobId, attempt: input.attempt });
  const deadlineRef = parseDeadlineJobId(input.jobId);

  if (deadlineRef) {
    const deadline = await beginDeadlineRun(input.store, deadlineRef);
    if (!deadline) {
      log.info('deadline already settled or re-claimed; skipping');
      return;
    }
  }

  const ctx: TJobContext = {
    jobId: input.jobId,
    attempt: input.attempt,
    log,
    async progress(pct, note) {
      const clamped = Math.max(0, Math.min(100, Math.round(Number.isFinite(pct) ? pct : 0)));
      await input.reportProgress(clamped, note);
      if (deadlineRef) await renewDeadlineLease(input.store, deadlineRef);
    },
  };

  try {
    const def = getJobDefinitionOrThrow(input.name);
    await def.handler(parseJobPayload(def, input.payload), ctx);
  } catch (e) {
    if (deadlineRef) {
      const isFinal = isPermanentJobError(e) || input.attempt >= input.maxAttempts;
      await finishDeadlineRun(input.store, deadlineRef, { ok: false, error: errorMessage(e), isFinal });
    }
    throw e;
  }
  if (deadlineRef) await finishDeadlineRun(input.store, deadlineRef, { ok: true });
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
