import 'server-only';
import { getStore } from '@/lib/store';
import type { TBaseDoc, TCollection } from '@/lib/store/types';
import { AppError, isAppError } from '@/lib/errors';
import { now } from '@/lib/clock';

/**
 * Sign-in throttling, stored in the store so it holds across restarts and web instances:
 * - per account: after MAX_ACCOUNT_FAILURES wrong passwords in a row the account is locked for LOCK_MINUTES;
 * - per client address: at most MAX_ADDRESS_FAILURES failures per WINDOW_MINUTES (slows password spraying).
 */
export const MAX_ACCOUNT_FAILURES = 10;
export const LOCK_MINUTES = 15;
const MAX_ADDRESS_FAILURES = 50;
const WINDOW_MINUTES = 15;

interface TThrottle extends TBaseDoc {
  key: string;
  failures: number;
  windowStart: Date;
  lockedUntil?: Date;
}

async function col(): Promise<TCollection<TThrottle>> {
  return (await getStore()).collection<TThrottle>('authThrottle');
}

const accountKey = (email: string) => `account:${email.toLowerCase()}`;
const addressKey = (ip: string) => `address:${ip}`;

/** Throws `rate_limited` (with minutes to wait) while the account or address is locked out. */
export async function assertSignInAllowed(email: string, ip: string | undefined): Promise<void> {
  const c = await col();
  const t = now();
  const acct = await c.findOne({ key: accountKey(email) });
  if (acct?.lockedUntil && acct.lockedUntil > t) {
    const minutes = Math.ceil((acct.lockedUntil.getTime() - t.getTime()) / 60_000);
    throw new AppError('rate_limited', `Konto jest czasowo zablokowane po wielu nieudanych próbach logowania. Spróbuj ponownie za ${minutes} min.`, {
      meta: { retryAfterMinutes: minutes },
    });
  }
  if (ip) {
    const addr = await c.findOne({ key: addressKey(ip) });
    if (addr && withinWindow(addr, t) && addr.failures >= MAX_ADDRESS_FAILURES) {
      throw new AppError('rate_limited', 'Zbyt wiele nieudanych prób logowania z tego adresu. Spróbuj ponownie później.');
    }
  }
}

export async function recordSignInFailure(email: string, ip: string | undefined): Promise<{ locked: boolean }> {
  const acct = await bump(accountKey(email), (d, t) => {
    const failures = d.failures + 1;
    return failures >= MAX_ACCOUNT_FAILURES
      ? { $set: { failures: 0, windowStart: t, lockedUntil: new Date(t.getTime() + LOCK_MINUTES * 60_000) } }
      : { $set: { failures } };
  });
  if (ip) await bump(addressKey(ip), (d, t) => (withinWindow(d, t) ? { $set: { failures: d.failures + 1 } } : { $set: { failures: 1, windowStart: t } }));
  return { locked: Boolean(acct.lockedUntil && acct.lockedUntil > now()) };
}

export async function recordSignInSuccess(email: string): Promise<void> {
  const c = await col();
  const d = await c.findOne({ key: accountKey(email) });
  if (d && (d.failures > 0 || d.lockedUntil)) {
    await c.updateById(d._id, d.revision, { $set: { failures: 0 }, $unset: { lockedUntil: '' } }).catch(ignoreConflict);
  }
}

/** An administrator's unlock (password reset) clears the account lock. */
export async function clearAccountLock(email: string): Promise<void> {
  const c = await col();
  await c.deleteMany({ key: accountKey(email) });
}

function withinWindow(d: TThrottle, t: Date): boolean {
  return t.getTime() - d.windowStart.getTime() < WINDOW_MINUTES * 60_000;
}

/** Read-modify-write with the revision check, retried on a lost race (concurrent failed sign-ins). */
async function bump(key: string, change: (d: TThrottle, t: Date) => { $set: Record<string, unknown> }): Promise<TThrottle> {
  const c = await col();
  for (let attempt = 0; attempt < 10; attempt++) {
    const t = now();
    let d = await c.findOne({ key });
    if (!d) {
      try {
        d = await c.insertOne({ key, failures: 0, windowStart: t });
      } catch (e) {
        if (isAppError(e) && e.code === 'conflict') continue;
        throw e;
      }
    }
    try {
      return await c.updateById(d._id, d.revision, change(d, t));
    } catch (e) {
      if (!(isAppError(e) && e.code === 'conflict')) throw e;
    }
  }
  throw new AppError('unavailable', 'Sign-in throttle is under heavy contention; try again.');
}

function ignoreConflict(e: unknown): void {
  if (!(isAppError(e) && e.code === 'conflict')) throw e;
}
