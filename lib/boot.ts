import 'server-only';
import { env } from '@/lib/env';
import { logger } from '@/lib/log';
import { getStore } from '@/lib/store';
import { bootPacks, refusedPacks } from '@/lib/packs/boot';
import { readDemoFiles, seedDemoData } from '@/lib/demo/seed';
import { installJobs, startJobsInWebProcess } from '@/lib/jobs';
import { APP_JOBS } from '@/lib/app-jobs';
import { retryPendingEffects } from '@/lib/cases/outbox';

const KEY = Symbol.for('kooperacja.booted');
type G = typeof globalThis & { [KEY]?: Promise<void> };

/**
 * Start-up of the web process, once (Next's instrumentation hook): open the store (creating indexes),
 * validate and publish the packs (a broken pack is refused and reported, the others run), load
 * demo data where wanted, start the job worker and deadline sweeper when this process runs them.
 */
export function boot(): Promise<void> {
  const g = globalThis as G;
  return (g[KEY] ??= run());
}

async function run(): Promise<void> {
  const e = env();
  const started = performance.now();
  installJobs(APP_JOBS);
  await getStore();
  await bootPacks();
  if (e.DEMO_DATA ?? e.NODE_ENV !== 'production') {
    // A refused pack fails alone: its demo region is skipped, the others load.
    const refused = new Set(refusedPacks().map((r) => r.id));
    await seedDemoData(readDemoFiles().filter((f) => !refused.has(f.packId)));
  }
  await startJobsInWebProcess();
  // Effects of events and submissions whose process died between the write and running them.
  await retryPendingEffects();
  logger().info({ ms: Math.round(performance.now() - started), store: e.MONGODB_URI ? 'mongodb' : 'embedded', jobs: e.REDIS_URL ? 'bullmq' : 'inprocess' }, 'boot: ready');
}

/** For the start-up hook: a half-configured platform must not serve requests, so a failed boot exits. */
export async function bootOrExit(): Promise<void> {
  try {
    await boot();
  } catch (err) {
    console.error(`\nKooperacja could not start:\n${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
