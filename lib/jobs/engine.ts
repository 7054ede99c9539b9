import 'server-only';
import { env } from '@/lib/env';
import { BullmqJobEngine } from './bullmq';
import { InProcessJobEngine } from './inprocess';
import type { TJobEngine } from './types';

const KEY = Symbol.for('kooperacja.jobs.engine');
type G = typeof globalThis & { [KEY]?: TJobEngine };

/** The job engine for this process: BullMQ when REDIS_URL is set, the in-process runner otherwise. */
export function getJobs(): TJobEngine {
  const g = globalThis as G;
  if (!g[KEY]) g[KEY] = env().REDIS_URL ? new BullmqJobEngine() : new InProcessJobEngine();
  return g[KEY]!;
}

/** Closes the engine (graceful shutdown, tests); the next `getJobs()` opens a fresh one. */
export async function closeJobs(): Promise<void> {
  const g = globalThis as G;
  const engine = g[KEY];
  g[KEY] = undefined;
  await engine?.close();
}
