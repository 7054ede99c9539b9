import 'server-only';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { logger } from '@/lib/log';

/**
 * Sign-in throttling with rate-limiter-flexible:
 * - per account: after MAX_ACCOUNT_FAILURES wrong passwords within LOCK_MINUTES the account is locked
 *   for LOCK_MINUTES (an administrator's password reset lifts it);
 * - per client address: at most MAX_ADDRESS_FAILURES failures per WINDOW_MINUTES (slows password spraying).
 * On Redis when REDIS_URL is set (shared by every web instance; an in-memory limiter insures against a
 * Redis outage so sign-in keeps working), in process memory otherwise (one process, forgotten on restart).
 */
export const MAX_ACCOUNT_FAILURES = 10;
export const LOCK_MINUTES = 15;
export const MAX_ADDRESS_FAILURES = 50;
const WINDOW_MINUTES = 15;

interface TLimiters {
  account: RateLimiterAbstract;
  address: RateLimiterAbstract;
  redis?: Redis;
}

const KEY = Symbol.for('kooperacja.signInLimiters');
type G = typeof globalThis & { [KEY]?: TLimiters };

function limiters(): TLimiters {
  const g = globalThis as G;
  if (g[KEY]) return g[KEY];
  const e = env();
  const account = { points: MAX_ACCOUNT_FAILURES, duration: LOCK_MINUTES * 60 };
  const address = { points: MAX_ADDRESS_FAILURES, duration: WINDOW_MINUTES * 60 };
  if (e.REDIS_URL) {
    // Commands wait for the connection (so the first sign-ins after start count in Redis too) but never
    // long: a Redis that does not answer within commandTimeout fails over to the insurance limiter.
    const redis = new Redis(e.REDIS_URL, { commandTimeout: 1000, maxRetriesPerRequest: 1, connectionName: `${e.JOBS_PREFIX}-signin-throttle` });
    // Without a listener ioredis prints every reconnect failure; report an outage once, until it is back.
    let down = false;
    redis.on('error', (err: Error) => {
      if (!down) logger().warn({ err: err.message }, 'sign-in throttle: Redis unreachable, counting in memory meanwhile');
      down = true;
    });
    redis.on('ready', () => {
      down = false;
    });
    const make = (name: string, o: { points: number; duration: number }) =>
      new RateLimiterRedis({ storeClient: redis, keyPrefix: `${e.JOBS_PREFIX}:signin:${name}`, ...o, insuranceLimiter: new RateLimiterMemory({ keyPrefix: `signin:${name}`, ...o }) });
    g[KEY] = { account: make('account', account), address: make('address', address), redis };
  } else {
    g[KEY] = { account: new RateLimiterMemory({ keyPrefix: 'signin:account', ...account }), address: new RateLimiterMemory({ keyPrefix: 'signin:address', ...address }) };
  }
  return g[KEY];
}

const accountKey = (email: string) => email.toLowerCase();

function minutesLeft(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 60_000));
}

/** Throws `rate_limited` (with minutes to wait) while the account or address is locked out. */
export async function assertSignInAllowed(email: string, ip: string | undefined): Promise<void> {
  const l = limiters();
  const acct = await l.account.get(accountKey(email));
  // A lock is a `block()`: more points consumed than the limiter has.
  if (acct && acct.consumedPoints > MAX_ACCOUNT_FAILURES) {
    const minutes = minutesLeft(acct);
    throw new AppError('rate_limited', `Konto jest czasowo zablokowane po wielu nieudanych próbach logowania. Spróbuj ponownie za ${minutes} min.`, {
      meta: { retryAfterMinutes: minutes },
    });
  }
  if (ip) {
    const addr = await l.address.get(ip);
    if (addr && addr.consumedPoints >= MAX_ADDRESS_FAILURES) {
      throw new AppError('rate_limited', 'Zbyt wiele nieudanych prób logowania z tego adresu. Spróbuj ponownie później.', { meta: { retryAfterMinutes: minutesLeft(addr) } });
    }
  }
}

/** Counts a failed sign-in; the failure that reaches the account limit locks the account. */
export async function recordSignInFailure(email: string, ip: string | undefined): Promise<{ locked: boolean }> {
  const l = limiters();
  if (ip) await l.address.penalty(ip);
  const res = await l.account.penalty(accountKey(email));
  if (res.consumedPoints >= MAX_ACCOUNT_FAILURES) {
    await l.account.block(accountKey(email), LOCK_MINUTES * 60);
    return { locked: true };
  }
  return { locked: false };
}

export async function recordSignInSuccess(email: string): Promise<void> {
  await limiters().account.delete(accountKey(email));
}

/** An administrator's unlock (password reset) clears the account lock. */
export async function clearAccountLock(email: string): Promise<void> {
  await limiters().account.delete(accountKey(email));
}

/** For tests: forget the limiters (and close the Redis connection) so the next call reads the environment again. */
export async function resetSignInLimitersForTests(): Promise<void> {
  const g = globalThis as G;
  g[KEY]?.redis?.disconnect();
  delete g[KEY];
}
