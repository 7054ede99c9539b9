import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import type { TStore } from '@/lib/store/types';
import { BullmqJobEngine } from './bullmq';
import { registerJobForTests } from './registry';
import { bullmqFixture, inProcessFixture, openTestStore, sleep, testRedis, uniquePrefix, waitFor, waitForState, type TEngineFixture } from './test-helpers';
import type { TJobEngine } from './types';

/**
 * The job port's contract, run against every engine available: always the in-process runner, and
 * BullMQ against the harness Redis (lib/testing/global-setup.ts). Both must behave the same.
 */

const calls: { jobId: string; payload: unknown; attempt: number; at: number }[] = [];
const gates = new Map<string, () => void>();

registerJobForTests({
  name: 'test.record',
  schema: z.object({ n: z.number().int(), label: z.string().default('x') }),
  attempts: 1,
  async handler(payload, ctx) {
    calls.push({ jobId: ctx.jobId, payload, attempt: ctx.attempt, at: Date.now() });
  },
});
registerJobForTests({
  name: 'test.always-fails',
  schema: z.object({}),
  attempts: 3,
  backoff: { type: 'exponential', delayMs: 100 },
  async handler(payload, ctx) {
    calls.push({ jobId: ctx.jobId, payload, attempt: ctx.attempt, at: Date.now() });
    throw new Error(`boom ${ctx.attempt}`);
  },
});
registerJobForTests({
  name: 'test.flaky',
  schema: z.object({}),
  attempts: 3,
  backoff: { type: 'fixed', delayMs: 50 },
  async handler(payload, ctx) {
    calls.push({ jobId: ctx.jobId, payload, attempt: ctx.attempt, at: Date.now() });
    if (ctx.attempt < 2) throw new Error('transient');
  },
});
registerJobForTests({
  name: 'test.permanent',
  schema: z.object({}),
  attempts: 5,
  backoff: { type: 'fixed', delayMs: 10 },
  async handler(payload, ctx) {
    calls.push({ jobId: ctx.jobId, payload, attempt: ctx.attempt, at: Date.now() });
    throw new AppError('validation', 'the case no longer exists in that form');
  },
});
registerJobForTests({
  name: 'test.progress',
  schema: z.object({}),
  attempts: 1,
  async handler(_payload, ctx) {
    await ctx.progress(40, 'połowa');
    await new Promise<void>((resolve) => gates.set(ctx.jobId, resolve));
  },
});

function callsOf(jobId: string) {
  return calls.filter((c) => c.jobId === jobId);
}

function defineContract(makeFixture: (store: TStore) => TEngineFixture) {
  let store: TStore;
  let disposeStore: () => Promise<void>;
  let engine: TJobEngine;

  beforeAll(async () => {
    ({ store, dispose: disposeStore } = await openTestStore());
  });
  afterAll(async () => {
    await disposeStore();
  });
  afterEach(async () => {
    for (const open of gates.values()) open();
    await engine?.close();
  });

  async function start(): Promise<TJobEngine> {
    engine = makeFixture(store).open();
    await engine.startWorker();
    return engine;
  }

  it('runs an enqueued job with the validated payload (schema defaults applied)', async () => {
    const e = await start();
    const jobId = await e.enqueue('test.record', { n: 7 });
    const run = await waitForState(e, jobId, 'completed');
    expect(run).toMatchObject({ jobId, name: 'test.record', state: 'completed', progress: 100, attemptsMade: 1 });
    expect(callsOf(jobId)).toEqual([expect.objectContaining({ payload: { n: 7, label: 'x' }, attempt: 1 })]);
  });

  it('rejects a bad payload and an unknown job at enqueue with a validation error', async () => {
    const e = await start();
    await expect(e.enqueue('test.record', { n: 'seven' })).rejects.toMatchObject({ name: 'AppError', code: 'validation' });
    // Payloads travel as JSON: what JSON cannot carry is refused up front, not in the worker.
    await expect(e.enqueue('test.record', { n: 1, label: 1n })).rejects.toMatchObject({ code: 'validation' });
    await expect(e.enqueue('test.no-such-job', {})).rejects.toMatchObject({ code: 'validation' });
    await expect(e.enqueue('test.record', { n: 1 }, { jobId: 'has:colon' })).rejects.toMatchObject({ code: 'validation' });
  });

  it('retries with backoff, then records the failure', async () => {
    const e = await start();
    const jobId = await e.enqueue('test.always-fails', {});
    const run = await waitForState(e, jobId, 'failed');
    expect(run.attemptsMade).toBe(3);
    expect(run.error).toBe('boom 3');
    const attempts = callsOf(jobId);
    expect(attempts.map((c) => c.attempt)).toEqual([1, 2, 3]);
    // exponential: 100 ms, then 200 ms (timers may fire a little early or late; allow 20 ms)
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(80);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(180);
  });

  it('succeeds on a retry after a transient failure', async () => {
    const e = await start();
    const jobId = await e.enqueue('test.flaky', {});
    const run = await waitForState(e, jobId, 'completed');
    expect(run.attemptsMade).toBe(2);
    expect(callsOf(jobId).map((c) => c.attempt)).toEqual([1, 2]);
  });

  it('does not retry a permanent error (AppError validation)', async () => {
    const e = await start();
    const jobId = await e.enqueue('test.permanent', {});
    const run = await waitForState(e, jobId, 'failed');
    await sleep(150);
    expect(callsOf(jobId)).toHaveLength(1);
    expect(run.error).toContain('no longer exists');
  });

  it('shows progress of a running job through getRun', async () => {
    const e = await start();
    const jobId = await e.enqueue('test.progress', {});
    const run = await waitFor(async () => {
      const r = await e.getRun(jobId);
      return r?.state === 'active' && r.progress === 40 ? r : null;
    }, 10_000, 'progress 40');
    expect(run.note).toBe('połowa');
    gates.get(jobId)!();
    const done = await waitForState(e, jobId, 'completed');
    expect(done.progress).toBe(100);
  });

  it('runs a delayed job after the delay, not before', async () => {
    const e = await start();
    const enqueuedAt = Date.now();
    const jobId = await e.enqueue('test.record', { n: 1 }, { delayMs: 700 });
    await sleep(300);
    expect((await e.getRun(jobId))?.state).toBe('delayed');
    expect(callsOf(jobId)).toHaveLength(0);
    await waitForState(e, jobId, 'completed');
    expect(callsOf(jobId)[0].at - enqueuedAt).toBeGreaterThanOrEqual(680);
  });

  it('treats a duplicate jobId as a no-op', async () => {
    const e = await start();
    const jobId = `dup-${Date.now()}`;
    const ids = await Promise.all([e.enqueue('test.record', { n: 1 }, { jobId }), e.enqueue('test.record', { n: 2 }, { jobId })]);
    expect(ids).toEqual([jobId, jobId]);
    await waitForState(e, jobId, 'completed');
    expect(await e.enqueue('test.record', { n: 3 }, { jobId })).toBe(jobId);
    await sleep(200);
    expect(callsOf(jobId)).toHaveLength(1);
  });

  it('answers ping and returns null for an unknown job', async () => {
    const e = await start();
    await expect(e.ping()).resolves.toBeUndefined();
    expect(await e.getRun('no-such-job')).toBeNull();
  });
}

describe('job port: in-process engine', () => {
  defineContract((store) => inProcessFixture(store));
});

describe.skipIf(!testRedis)('job port: BullMQ engine', () => {
  defineContract((store) => bullmqFixture(store, uniquePrefix()));
});

describe('job port: BullMQ engine with Redis unreachable', () => {
  it('fails ping and enqueue instead of hanging', async () => {
    const { store, dispose } = await openTestStore();
    // Port 1 on loopback: nothing listens there.
    const engine = new BullmqJobEngine({ redisUrl: 'redis://127.0.0.1:1', prefix: uniquePrefix(), store });
    try {
      await expect(engine.ping()).rejects.toThrow();
      await expect(engine.enqueue('test.record', { n: 1 })).rejects.toMatchObject({ code: 'unavailable' });
      // The web process boots its worker even so; it connects when Redis comes back.
      await expect(engine.startWorker()).resolves.toBeUndefined();
    } finally {
      await engine.close();
      await dispose();
    }
  });
});
