/**
 * Test-side access to the harness Redis started by lib/testing/global-setup.ts (REDIS_URL, or a
 * private `redis-server` on a free loopback port; never the machine's default Redis on 6379).
 */
import { inject } from 'vitest';
import { isCi, NO_REDIS_MESSAGE } from './global-setup';

declare module 'vitest' {
  interface ProvidedContext {
    testRedis: { url: string; isOwned: boolean } | null;
  }
}

/**
 * For test files: the harness Redis, or null (the caller skips its BullMQ suite). Announces a skip
 * loudly, and in CI a missing Redis is an error instead of a skip.
 */
export function getTestRedis(): { url: string; isOwned: boolean } | null {
  const r = inject('testRedis');
  if (r) return r;
  if (isCi()) throw new Error(`CI is set but ${NO_REDIS_MESSAGE.replace(' are SKIPPED', ' cannot run')}`);
  console.warn(`\n\x1b[41m\x1b[97m !!! ${NO_REDIS_MESSAGE} !!! \x1b[0m\n`);
  return null;
}
