import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { closeJobs, getJobs, shouldRunWorkerInWebProcess } from './index';

/** Engine choice and where the worker runs follow the environment (DESIGN.md "Jobs"). */
describe('job engine selection', () => {
  afterEach(async () => {
    await closeJobs();
    vi.unstubAllEnvs();
    resetEnvForTests();
  });

  function setEnv(vars: Record<string, string | undefined>) {
    for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
    resetEnvForTests();
  }

  it('uses the in-process runner without REDIS_URL, and runs it in the web process', () => {
    setEnv({ REDIS_URL: undefined, MONGODB_URI: undefined, WORKER_IN_PROCESS: undefined });
    expect(getJobs().kind).toBe('inprocess');
    expect(getJobs()).toBe(getJobs());
    expect(shouldRunWorkerInWebProcess()).toBe(true);
  });

  it('uses BullMQ with REDIS_URL; workers run separately only when the store is shared (MongoDB)', () => {
    setEnv({ REDIS_URL: 'redis://127.0.0.1:1', MONGODB_URI: undefined, WORKER_IN_PROCESS: undefined });
    expect(getJobs().kind).toBe('bullmq');
    expect(shouldRunWorkerInWebProcess()).toBe(true); // embedded store: one process only

    setEnv({ MONGODB_URI: 'mongodb://127.0.0.1:1/x' });
    expect(shouldRunWorkerInWebProcess()).toBe(false);

    setEnv({ WORKER_IN_PROCESS: 'true' });
    expect(shouldRunWorkerInWebProcess()).toBe(true);
  });
});
