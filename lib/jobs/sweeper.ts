import 'server-only';
import { env } from '@/lib/env';
import { logger } from '@/lib/log';
import type { TStore } from '@/lib/store/types';
import { sweepDueDeadlines, type TSweepResult } from './deadlines';
import { errorMessage } from './run-job';
import { getJobs } from './engine';
import type { TJobEngine } from './types';

export interface TSweeperOptions {
  /** Defaults to `getJobs()`. */
  engine?: TJobEngine;
  store?: TStore;
  /** Default env SWEEP_INTERVAL_MS. */
  intervalMs?: number;
}


/** Sweeps due deadlines once with the simulated clock's `now()` (the test API calls this after moving the clock). */
export async function sweepOnce(opts: Pick<TSweeperOptions, 'engine' | 'store'> = {}): Promise<TSweepResult> {
  return sweepDueDeadlines({ engine: opts.engine ?? getJobs(), store: opts.store });
}

/**
 * Sweeps every `intervalMs` (first sweep at once) until stopped. Never overlaps itself; errors are logged
 * and the next tick tries again (e.g. Redis restarting). Returns a stop function that awaits a running sweep.
 */
export function startSweeper(opts: TSweeperOptions = {}): () => Promise<void> {
  const intervalMs = opts.intervalMs ?? env().SWEEP_INTERVAL_MS;
  const log = logger().child({ component: 'sweeper' });
  let isStopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const tick = () => {
    running = sweepOnce(opts)
      .then(() => undefined)
      .catch((e) => log.error({ err: errorMessage(e) }, 'deadline sweep failed'))
      .finally(() => {
        running = undefined;
        if (!isStopped) {
          timer = setTimeout(tick, intervalMs);
          timer.unref();
        }
      });
  };
  tick();
  return async () => {
    isStopped = true;
    clearTimeout(timer);
    await running;
  };
}
