import 'server-only';
import { AppError } from '@/lib/errors';
import { defineJob } from '@/lib/jobs';
import { drainOutbox, RUN_PENDING_EFFECTS_JOB, ZOutboxRef } from '../outbox';

/**
 * Retries the stored effects of a case or submission whose run failed (lib/cases/outbox.ts schedules it as
 * a deadline). Fails while effects are left, so the job engine retries with backoff; after the last
 * attempt the deadline stays `failed` with the error for operators, and the effects run again at start.
 */
export const runPendingEffectsJob = defineJob({
  name: RUN_PENDING_EFFECTS_JOB,
  schema: ZOutboxRef,
  attempts: 5,
  backoff: { type: 'exponential', delayMs: 30_000 },
  async handler(ref) {
    const left = await drainOutbox(ref);
    if (left > 0) throw new AppError('unavailable', `${left} stored effect(s) of ${ref.kind} ${ref.id} still failing`);
  },
});
