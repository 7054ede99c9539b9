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
    // Passing tests are quiet: the app's JSON log is off unless LOG_LEVEL asks for it (e.g. LOG_LEVEL=debug npx vitest …).
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  },
});
