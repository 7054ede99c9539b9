/**
 * Builds and starts the app for browser journeys: `npm run assets`, `next build`, then `next start` on a
 * free loopback port with a fresh data directory and the test API on. Harness code: reads process.env.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type TAppServer = {
  baseUrl: string;
  dataDir: string;
  logFile: string;
  stop: () => Promise<void>;
};

const HEALTH_TIMEOUT_MS = 90_000;
const BUILD_TIMEOUT_MS = 15 * 60_000;

export function readLogTail(logFile: string, lines = 60): string {
  if (!fs.existsSync(logFile)) return `(no log at ${logFile})`;
  const text = fs.readFileSync(logFile, 'utf8').trimEnd();
  return text.split('\n').slice(-lines).join('\n') || '(log is empty)';
}

/**
 * Runs a build step with its output in test-results/<file>: printed (its tail) only when the step fails
 * or LOG_LEVEL is set, so a passing run shows one line per step.
 */
function runStep(rootDir: string, label: string, command: string, args: string[], env: NodeJS.ProcessEnv): void {
  console.log(`[e2e] ${label}`);
  if (process.env.LOG_LEVEL) {
    const result = spawnSync(command, args, { cwd: rootDir, env, stdio: 'inherit', timeout: BUILD_TIMEOUT_MS });
    if (result.error) throw new Error(`[e2e] ${label} could not run: ${result.error.message}`);
    if (result.status !== 0) throw new Error(`[e2e] ${label} failed (exit code ${result.status ?? result.signal})`);
    return;
  }
  const resultsDir = path.join(rootDir, 'test-results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const logFile = path.join(resultsDir, `e2e-${label.replace(/[^a-z0-9]+/gi, '-')}.log`);
  const logFd = fs.openSync(logFile, 'w');
  const result = spawnSync(command, args, { cwd: rootDir, env, stdio: ['ignore', logFd, logFd], timeout: BUILD_TIMEOUT_MS });
  fs.closeSync(logFd);
  if (result.error) throw new Error(`[e2e] ${label} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`[e2e] ${label} failed (exit code ${result.status ?? result.signal}); last lines of ${logFile}:\n${readLogTail(logFile, 60)}`);
}

/** Environment for `next build`: Next decides the mode itself; a NODE_ENV=test inherited from vitest would confuse it. */
function buildEnv(): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  delete env.NODE_ENV;
  // Next's typings declare NODE_ENV as always present; leaving it out is the point here.
  return env as unknown as NodeJS.ProcessEnv;
}

export function prepareApp(rootDir: string): void {
  runStep(rootDir, 'npm run assets', 'npm', ['run', '--silent', 'assets'], process.env);
  const hasBuild = fs.existsSync(path.join(rootDir, '.next', 'BUILD_ID'));
  if (process.env.E2E_SKIP_BUILD === '1' && hasBuild) {
    console.log('[e2e] E2E_SKIP_BUILD=1: reusing the existing .next build');
    return;
  }
  runStep(rootDir, 'next build', process.execPath, [path.join(rootDir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], buildEnv());
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Negative pid: the whole process group, so no worker Next may fork outlives the run.
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function waitForHealth(child: ChildProcess, baseUrl: string, logFile: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let lastAnswer = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`[e2e] next start exited (${child.exitCode ?? child.signalCode}) before /api/health answered.\n${readLogTail(logFile)}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      lastAnswer = `HTTP ${response.status}`;
    } catch (error) {
      lastAnswer = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`[e2e] ${baseUrl}/api/health did not answer 2xx within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${lastAnswer}).\n${readLogTail(logFile)}`);
}

/** `opts.port`: a port chosen beforehand (e.g. so an SSO provider can know the app's callback URL); `opts.env`: extra variables. */
export async function startApp(rootDir: string, resultsDir: string, opts: { port?: number; env?: Record<string, string> } = {}): Promise<TAppServer> {
  const port = opts.port ?? (await findFreePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kooperacja-e2e-'));
  const logFile = path.join(resultsDir, 'e2e-server.log');
  fs.mkdirSync(resultsDir, { recursive: true });
  const logFd = fs.openSync(logFile, 'w');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // `next start` sets NODE_ENV=production when it is unset, and lib/env.ts refuses the test API in
    // production; `test` is a standard value for Next (production server, no warning) and allowed there.
    NODE_ENV: 'test',
    PORT: String(port),
    DATA_DIR: dataDir,
    ENABLE_TEST_API: 'true',
    // Where CI provides MongoDB/Redis the app uses them too; a run-specific database and queue prefix
    // keep journeys apart from the integration tests, and the in-process worker runs the jobs (no
    // separate scripts/worker.ts here).
    MONGODB_DB: `kooperacja_e2e_${process.pid}`,
    JOBS_PREFIX: `kooperacja-e2e-${process.pid}`,
    WORKER_IN_PROCESS: 'true',
    NEXTAUTH_URL: baseUrl,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? 'e2e-only-secret-not-for-production',
    NEXT_TELEMETRY_DISABLED: '1',
    ...opts.env,
  };
  console.log(`[e2e] next start on ${baseUrl} (DATA_DIR ${dataDir}, log ${path.relative(rootDir, logFile)})`);
  const child = spawn(
    process.execPath,
    [path.join(rootDir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port), '-H', '127.0.0.1'],
    { cwd: rootDir, env, stdio: ['ignore', logFd, logFd], detached: true },
  );
  fs.closeSync(logFd);

  // Last resort when the runner dies without running teardown (Ctrl-C, crash).
  const killOnExit = (): void => killGroup(child, 'SIGKILL');
  process.on('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup(child, 'SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5_000))]);
      if (timedOut) {
        killGroup(child, 'SIGKILL');
        await exited;
      }
    }
    if (process.env.E2E_KEEP_DATA !== '1') fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(child, baseUrl, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, dataDir, logFile, stop };
}
