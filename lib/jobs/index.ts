import 'server-only';
import { env } from '@/lib/env';
import { logger } from '@/lib/log';
import { closeJobs, getJobs } from './engine';
import { startSweeper } from './sweeper';

export type { TEnqueueOptions, TJobContext, TJobEngine, TJobEngineKind, TJobRun, TJobState } from './types';
export { defineJob, installJobs, JOBS, type TJobDefinition } from './registry';
export { cancelDeadline, findDeadline, scheduleDeadline, type TDeadline, type TScheduleDeadlineInput } from './deadlines';
export { sweepOnce, startSweeper } from './sweeper';
export { closeJobs, getJobs } from './engine';

/**
 * Whether the web process must consume jobs itself: always for the in-process engine, and also for
 * BullMQ when the store is embedded (the embedded store serves one process, so no separate worker can
 * reach it). WORKER_IN_PROCESS=true forces it for small installs that run no worker process.
 */
export function shouldRunWorkerInWebProcess(): boolean {
  const e = env();
  return !e.REDIS_URL || !e.MONGODB_URI || e.WORKER_IN_PROCESS === true;
}

/**
 * Boots background work in the web process (called once from Next's instrumentation hook).
 * Starts the worker and the deadline sweeper when this process should run them; returns a stop function.
 */
export async function startJobsInWebProcess(): Promise<() => Promise<void>> {
  if (!shouldRunWorkerInWebProcess()) {
    logger().info({ component: 'jobs' }, 'jobs run in worker processes (npm run worker); this process only enqueues');
    return async () => {};
  }
  if (env().WORKER_IN_PROCESS === false) {
    logger().warn({ component: 'jobs' }, 'WORKER_IN_PROCESS=false ignored: the in-process engine or the embedded store needs the worker here');
  }
  const engine = getJobs();
  await engine.startWorker();
  const stopSweeper = startSweeper({ engine });
  return async () => {
    await stopSweeper();
    await closeJobs();
  };
}
