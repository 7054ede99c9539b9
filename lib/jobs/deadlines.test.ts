import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clockOffsetMs, setClockOffsetMs } from '@/lib/clock';
import type { TStore } from '@/lib/store/types';
import { cancelDeadline, DEFAULT_LEASE_MS, findDeadline, scheduleDeadline, sweepDueDeadlines, type TDeadline } from './deadlines';
import { registerJobForTests } from './registry';
import { startSweeper } from './sweeper';
import { bullmqFixture, inProcessFixture, openTestStore, sleep, testRedis, uniquePrefix, waitFor, type TEngineFixture } from './test-helpers';
import type { TJobEngine } from './types';

/**
 * Deadlines are data: due ones are processed exactly once even with two sweepers and two workers
 * racing, a deadline not yet due waits (until the simulated clock passes it), and neither a flushed
 * Redis nor a restart loses one.
 */

const runs = new Map<string, number>();
registerJobForTests({
  name: 'test.remind',
  schema: z.object({ ref: z.string() }),
  attempts: 2,
  backoff: { type: 'fixed', delayMs: 20 },
  async handler(payload, ctx) {
    runs.set(payload.ref, (runs.get(payload.ref) ?? 0) + 1);
    await ctx.progress(50);
  },
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function minutesFromNow(m: number): Date {
  return new Date(Date.now() + clockOffsetMs() + m * MINUTE);
}

function defineDeadlineSuite(makeFixture: (store: TStore) => TEngineFixture) {
  let store: TStore;
  let disposeStore: () => Promise<void>;
  let fixture: TEngineFixture;
  const engines: TJobEngine[] = [];
  let keyPrefix = '';

  beforeAll(async () => {
    ({ store, dispose: disposeStore } = await openTestStore());
  });
  afterAll(async () => {
    await disposeStore();
  });
  afterEach(async () => {
    setClockOffsetMs(0);
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });

  function openEngine(): TJobEngine {
    const e = fixture.open();
    engines.push(e);
    return e;
  }

  async function setup() {
    fixture = makeFixture(store);
    keyPrefix = `k-${Math.random().toString(36).slice(2, 8)}`;
  }

  async function waitDone(key: string, timeoutMs = 10_000): Promise<TDeadline> {
    return waitFor(async () => {
      const d = await findDeadline(key, { store });
      return d?.status === 'done' ? d : null;
    }, timeoutMs, `deadline ${key} done`);
  }

  it('processes due deadlines exactly once with two sweepers and two workers racing', async () => {
    await setup();
    const [a, b] = [openEngine(), openEngine()];
    await Promise.all([a.startWorker(), b.startWorker()]);
    const keys = Array.from({ length: 20 }, (_, i) => `${keyPrefix}-due-${i}`);
    for (const key of keys) await scheduleDeadline({ key, job: 'test.remind', payload: { ref: key }, dueAt: minutesFromNow(-1) }, { store });
    const laterKey = `${keyPrefix}-later`;
    await scheduleDeadline({ key: laterKey, job: 'test.remind', payload: { ref: laterKey }, dueAt: minutesFromNow(2 * DAY / MINUTE) }, { store });

    const results = await Promise.all([a, b, a, b].map((engine) => sweepDueDeadlines({ engine, store })));
    expect(results.reduce((n, r) => n + r.enqueued, 0)).toBe(20);
    for (const key of keys) await waitDone(key);
    await sleep(200); // let any duplicate surface
    for (const key of keys) expect(runs.get(key), key).toBe(1);

    // Not yet due: untouched, even by more sweeps.
    await Promise.all([sweepDueDeadlines({ engine: a, store }), sweepDueDeadlines({ engine: b, store })]);
    await sleep(100);
    expect((await findDeadline(laterKey, { store }))?.status).toBe('pending');
    expect(runs.get(laterKey)).toBeUndefined();

    // Two days later on the simulated clock it is due.
    setClockOffsetMs(2 * DAY + MINUTE);
    await Promise.all([sweepDueDeadlines({ engine: a, store }), sweepDueDeadlines({ engine: b, store })]);
    const done = await waitDone(laterKey);
    expect(runs.get(laterKey)).toBe(1);
    expect(done.claimNo).toBe(1);
  });

  it('loses nothing when the queue is flushed after the claim: the expired lease re-queues it', async () => {
    await setup();
    const key = `${keyPrefix}-flushed`;
    await scheduleDeadline({ key, job: 'test.remind', payload: { ref: key }, dueAt: minutesFromNow(-1) }, { store });
    const producer = openEngine(); // no worker yet: the job waits in the queue
    expect((await sweepDueDeadlines({ engine: producer, store })).enqueued).toBe(1);
    expect((await findDeadline(key, { store }))?.status).toBe('queued');

    await fixture.loseQueuedJobs();
    const worker = openEngine();
    await worker.startWorker();
    await sleep(300);
    expect(runs.get(key)).toBeUndefined();
    // Within the lease nothing is re-queued (the job might still be on its way).
    expect((await sweepDueDeadlines({ engine: worker, store })).reclaimed).toBe(0);

    setClockOffsetMs(DEFAULT_LEASE_MS + MINUTE);
    const sweep = await sweepDueDeadlines({ engine: worker, store });
    expect(sweep).toMatchObject({ reclaimed: 1, enqueued: 1 });
    const done = await waitDone(key);
    expect(done.claimNo).toBe(2);
    expect(runs.get(key)).toBe(1);
  });

  it('loses nothing across a restart (engines closed after the claim, reopened)', async () => {
    await setup();
    const key = `${keyPrefix}-restart`;
    await scheduleDeadline({ key, job: 'test.remind', payload: { ref: key }, dueAt: minutesFromNow(-1) }, { store });
    const before = openEngine();
    expect((await sweepDueDeadlines({ engine: before, store })).enqueued).toBe(1);
    await before.close();

    const after = openEngine();
    await after.startWorker();
    await waitDone(key);
    expect(runs.get(key)).toBe(1);
  });

  it('reschedules a pending deadline, ignores re-scheduling a done one, and cancels', async () => {
    await setup();
    const engine = openEngine();
    await engine.startWorker();
    const key = `${keyPrefix}-resched`;
    const first = await scheduleDeadline({ key, job: 'test.remind', payload: { ref: key }, dueAt: minutesFromNow(-1) }, { store });
    const moved = await scheduleDeadline({ key, job: 'test.remind', payload: { ref: key }, dueAt: minutesFromNow(60) }, { store });
    expect(moved._id).toBe(first._id);
    expect(moved.dueAt.getTime()).toBeGreaterThan(first.dueAt.getTime());
    expect((await sweepDueDeadlines({ engine, store })).enqueued).toBe(0);

    setClockOffsetMs(61 * MINUTE);
    await sweepDueDeadlines({ engine, store });
    await waitDone(key);
    const again = await scheduleDeadline({ key, job: 'test.remind', payload: { ref: key }, dueAt: minutesFromNow(-1) }, { store });
    expect(again.status).toBe('done');
    await sweepDueDeadlines({ engine, store });
    await sleep(100);
    expect(runs.get(key)).toBe(1);

    const cancelledKey = `${keyPrefix}-cancel`;
    await scheduleDeadline({ key: cancelledKey, job: 'test.remind', payload: { ref: cancelledKey }, dueAt: minutesFromNow(-1) }, { store });
    expect(await cancelDeadline(cancelledKey, { store })).toBe(true);
    await sweepDueDeadlines({ engine, store });
    await sleep(100);
    expect((await findDeadline(cancelledKey, { store }))?.status).toBe('cancelled');
    expect(runs.get(cancelledKey)).toBeUndefined();
  });

  it('rejects a deadline for an unknown job or with a bad payload', async () => {
    await setup();
    await expect(scheduleDeadline({ key: `${keyPrefix}-bad`, job: 'test.nope', payload: {}, dueAt: new Date() }, { store })).rejects.toMatchObject({ code: 'validation' });
    await expect(scheduleDeadline({ key: `${keyPrefix}-bad`, job: 'test.remind', payload: { ref: 1 }, dueAt: new Date() }, { store })).rejects.toMatchObject({ code: 'validation' });
  });
}

describe('deadlines: in-process engine', () => {
  defineDeadlineSuite((store) => inProcessFixture(store));
});

describe.skipIf(!testRedis)('deadlines: BullMQ engine (two Workers on separate connections)', () => {
  defineDeadlineSuite((store) => bullmqFixture(store, uniquePrefix()));
});

describe('deadline sweeper', () => {
  it('sweeps on its interval until stopped', async () => {
    const { store, dispose } = await openTestStore();
    const engine = inProcessFixture(store).open();
    await engine.startWorker();
    const stop = startSweeper({ engine, store, intervalMs: 50 });
    try {
      const key = `sweeper-${Date.now()}`;
      await scheduleDeadline({ key, job: 'test.remind', payload: { ref: key }, dueAt: minutesFromNow(-1) }, { store });
      await waitFor(async () => (await findDeadline(key, { store }))?.status === 'done', 5_000, 'sweeper to process the deadline');
      expect(runs.get(key)).toBe(1);
    } finally {
      await stop();
      await engine.close();
      await dispose();
    }
  });
});
