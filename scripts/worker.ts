/**
 * Job worker process: `npm run worker`. Consumes the BullMQ queue and sweeps due deadlines.
 * Run as many as the load needs; deadline claims are atomic in the store, so they never double-fire.
 *
 * Needs REDIS_URL (the queue) and MONGODB_URI (a store that several processes can share). Without
 * them the web process runs jobs itself and no worker process is needed.
 * Stops gracefully on SIGTERM/SIGINT: running jobs finish, then connections close (a second signal forces exit).
 */
import { env } from '@/lib/env';
import { closeJobs, getJobs, installJobs, startSweeper } from '@/lib/jobs';
import { APP_JOBS } from '@/lib/app-jobs';
import { logger } from '@/lib/log';
import { closeStore, getStore } from '@/lib/store';

function refuse(message: string): never {
  console.error(`worker: ${message}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { REDIS_URL, MONGODB_URI, JOBS_PREFIX, SWEEP_INTERVAL_MS } = env();
  if (!REDIS_URL) {
    refuse('REDIS_URL is not set. Without Redis, jobs run inside the web process (in-process engine); no worker process is needed.');
  }
  if (!MONGODB_URI) {
    refuse(
      'MONGODB_URI is not set, so the store is the embedded one, which serves a single process. ' +
        'A separate worker cannot share it; the web process runs the worker itself. ' +
        'To run workers separately, set MONGODB_URI to a MongoDB server shared by the web and worker processes.',
    );
  }
  const log = logger().child({ component: 'worker' });
  await getStore();
  installJobs(APP_JOBS);
  const engine = getJobs();
  await engine.startWorker();
  const stopSweeper = startSweeper({ engine });
  log.info({ prefix: JOBS_PREFIX, sweepIntervalMs: SWEEP_INTERVAL_MS, pid: process.pid }, 'worker started');

  let isStopping = false;
  const shutdown = async (signal: string) => {
    if (isStopping) {
      log.warn({ signal }, 'second signal: exiting without waiting for running jobs');
      process.exit(1);
    }
    isStopping = true;
    log.info({ signal }, 'worker stopping: waiting for running jobs');
    try {
      await stopSweeper();
      await closeJobs();
      await closeStore();
      log.info('worker stopped');
      process.exit(0);
    } catch (e) {
      log.error({ err: e instanceof Error ? e.message : String(e) }, 'worker did not stop cleanly');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e) => {
  console.error('worker: failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
