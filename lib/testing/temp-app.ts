import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resetEnvForTests } from '@/lib/env';
import { closeStore } from '@/lib/store';
import { installJobs } from '@/lib/jobs';
import { APP_JOBS } from '@/lib/app-jobs';

/**
 * Points this test process at a fresh embedded store (DATA_DIR in a temp dir) so services can be tested
 * through the real `getStore()`. Call in `beforeAll`; the returned function closes and deletes it.
 */
export function openTempDataDir(prefix = 'kooperacja-test-'): () => Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env.DATA_DIR = dir;
  delete process.env.MONGODB_URI;
  resetEnvForTests();
  // Domain jobs are installed at start in the app; services that schedule deadlines need them here too.
  installJobs(APP_JOBS);
  return async () => {
    await closeStore();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

/** Sets (or, with undefined, removes) environment variables for this test process and re-reads the env. */
export function setTestEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvForTests();
}
