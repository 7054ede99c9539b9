/**
 * Shared by the job tests (not production code): engines on a private store and a private Redis prefix.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { newId } from '@/lib/ids';
import { openEmbeddedStore } from '@/lib/store';
import type { TStore } from '@/lib/store/types';
import { getTestRedis } from '@/lib/testing/redis';
import { BullmqJobEngine } from './bullmq';
import { InProcessJobEngine } from './inprocess';
import type { TJobEngine, TJobRun, TJobState } from './types';

export const testRedis = getTestRedis();

export interface TEngineFixture {
  kind: 'inprocess' | 'bullmq';
  /** A new engine (own connections) on the shared store and prefix. */
  open(): TJobEngine;
  /** Loses every queued job (FLUSHALL on the harness Redis; the jobRuns collection for the in-process engine). */
  loseQueuedJobs(): Promise<void>;
}

export async function openTestStore(): Promise<{ store: TStore; dispose(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kooperacja-jobs-'));
  const store = await openEmbeddedStore(dir);
  return {
    store,
    async dispose() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function uniquePrefix(): string {
  return `kt-${newId().slice(0, 8)}`;
}

export function inProcessFixture(store: TStore): TEngineFixture {
  return {
    kind: 'inprocess',
    open: () => new InProcessJobEngine({ store, concurrency: 2 }),
    async loseQueuedJobs() {
      await store.collection('jobRuns').deleteMany({});
    },
  };
}

export function bullmqFixture(store: TStore, prefix: string): TEngineFixture {
  const redis = testRedis!;
  return {
    kind: 'bullmq',
    open: () => new BullmqJobEngine({ redisUrl: redis.url, prefix, store, concurrency: 2 }),
    async loseQueuedJobs() {
      const conn = new Redis(redis.url);
      try {
        if (redis.isOwned) {
          await conn.flushall();
        } else {
          // Someone else's Redis (REDIS_URL): lose only this run's keys.
          const keys = await conn.keys(`${prefix}:*`);
          if (keys.length > 0) await conn.del(...keys);
        }
      } finally {
        await conn.quit();
      }
    },
  };
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await sleep(25);
  }
}

export async function waitForState(engine: TJobEngine, jobId: string, state: TJobState, timeoutMs = 10_000): Promise<TJobRun> {
  return waitFor(async () => {
    const run = await engine.getRun(jobId);
    return run?.state === state ? run : null;
  }, timeoutMs, `job ${jobId} to be ${state}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
