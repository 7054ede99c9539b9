import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(__dirname), 'server-only': path.resolve(__dirname, 'lib/testing/server-only-shim.ts') } },
  test: {
    include: ['lib/**/*.test.ts', 'scripts/**/*.test.ts', 'app/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['lib/testing/global-setup.ts'],
    // Console output (server logs included, lib/log.ts) only for failing tests, unless LOG_LEVEL is set.
    silent: process.env.LOG_LEVEL ? false : 'passed-only',
  },
});
