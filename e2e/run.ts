/**
 * `npm run test:e2e`: the browser suite alone, with the same counting and summary line as `npm test`.
 * Set E2E_SKIP_BUILD=1 to reuse an existing `.next` build while iterating on specs.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const rootDir = path.resolve(__dirname, '..');
const result = spawnSync(
  process.execPath,
  [path.join(rootDir, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(rootDir, 'scripts', 'test.ts'), '--e2e'],
  { cwd: rootDir, stdio: 'inherit' },
);
process.exitCode = result.status ?? 1;
