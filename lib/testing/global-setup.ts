/**
 * Vitest globalSetup: one Redis for the whole run, provided to test files as `inject('testRedis')`
 * (read it with `getTestRedis()` from lib/testing/redis.ts). REDIS_URL when set; otherwise a private
 * `redis-server` on a free loopback port, stopped at teardown — never the machine's default Redis on
 * 6379, which tests must not flush. In CI a missing Redis fails the run instead of skipping BullMQ tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { TestProject } from 'vitest/node';

export interface TTestRedis {
  url: string;
  /** True when the harness started this server itself; only then may tests FLUSHALL it. */
  isOwned: boolean;
  stop(): Promise<void>;
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => done(new Error(`redis-server not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) done();
    };
    const onExit = (code: number | null) => done(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    function done(err?: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.on('exit', onExit);
  });
}

async function startRedisServer(): Promise<TTestRedis> {
  let lastError: unknown;
  // The free port can be taken between probing and binding; try a few times.
  for (let i = 0; i < 3; i++) {
    const port = await findFreePort();
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await waitForReady(child, 10_000);
      child.stdout?.resume(); // keep draining so the pipe never fills
      return {
        url: `redis://127.0.0.1:${port}`,
        isOwned: true,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    } catch (e) {
      lastError = e;
      child.kill('SIGKILL');
    }
  }
  throw lastError;
}

/** REDIS_URL, or a private redis-server, or null when neither exists. */
export async function startTestRedis(): Promise<TTestRedis | null> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, isOwned: false, stop: async () => {} };
  if (!hasRedisServer()) return null;
  return startRedisServer();
}

export function isCi(): boolean {
  const v = process.env.CI;
  return !!v && v !== '0' && v.toLowerCase() !== 'false';
}

export const NO_REDIS_MESSAGE =
  'No Redis for the BullMQ tests: set REDIS_URL or install redis-server (Debian: apt-get install redis-server). BullMQ engine tests are SKIPPED.';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startTestRedis();
  if (!redis) {
    if (isCi()) throw new Error(`CI is set but ${NO_REDIS_MESSAGE.replace(' are SKIPPED', ' cannot run')}`);
    console.warn(`\n\x1b[41m\x1b[97m !!! ${NO_REDIS_MESSAGE} !!! \x1b[0m\n`);
  }
  project.provide('testRedis', redis ? { url: redis.url, isOwned: redis.isOwned } : null);
  return async () => {
    await redis?.stop();
  };
}
