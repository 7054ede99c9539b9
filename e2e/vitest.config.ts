import { defineConfig } from 'vitest/config';
import path from 'node:path';

const rootDir = path.resolve(__dirname, '..');

/**
 * Browser journeys: real Chromium (playwright-core) against the built app started by the global setup.
 * One file at a time, because every spec shares one server and its data directory.
 */
export default defineConfig({
  root: rootDir,
  resolve: { alias: { '@': rootDir, 'server-only': path.resolve(rootDir, 'lib/testing/server-only-shim.ts') } },
  test: {
    include: ['e2e/**/*.spec.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    globalSetup: ['e2e/global-setup.ts'],
    setupFiles: ['e2e/report-failures.ts'],
    // Console output only for failing specs, unless LOG_LEVEL is set (the server logs to a file).
    silent: process.env.LOG_LEVEL ? false : 'passed-only',
  },
});
