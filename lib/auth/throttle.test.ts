import { afterEach, describe, expect, it } from 'vitest';
import { setTestEnv } from '@/lib/testing/temp-app';
import { getTestRedis } from '@/lib/testing/redis';
import { newId } from '@/lib/ids';
import { assertSignInAllowed, clearAccountLock, MAX_ACCOUNT_FAILURES, MAX_ADDRESS_FAILURES, recordSignInFailure, recordSignInSuccess, resetSignInLimitersForTests } from './throttle';

const redis = getTestRedis();
const engines = [{ name: 'in memory', env: { REDIS_URL: undefined } }, ...(redis ? [{ name: 'on Redis', env: { REDIS_URL: redis.url, JOBS_PREFIX: `throttle-test-${newId()}` } }] : [])];

afterEach(async () => {
  await resetSignInLimitersForTests();
  setTestEnv({ REDIS_URL: undefined, JOBS_PREFIX: undefined });
});

describe.each(engines)('sign-in throttle $name', ({ env }) => {
  it(`locks the account at the ${MAX_ACCOUNT_FAILURES}th failure; success before that resets the count; an admin unlock lifts the lock`, async () => {
    setTestEnv(env);
    const email = `${newId()}@throttle.test`;
    for (let i = 0; i < MAX_ACCOUNT_FAILURES - 1; i++) expect(await recordSignInFailure(email, undefined)).toEqual({ locked: false });
    await recordSignInSuccess(email);
    for (let i = 0; i < MAX_ACCOUNT_FAILURES - 1; i++) expect(await recordSignInFailure(email, undefined)).toEqual({ locked: false });
    await expect(assertSignInAllowed(email, undefined)).resolves.toBeUndefined();
    expect(await recordSignInFailure(email, undefined)).toEqual({ locked: true });
    await expect(assertSignInAllowed(email.toUpperCase(), undefined)).rejects.toMatchObject({ code: 'rate_limited', meta: { retryAfterMinutes: 15 } });
    await clearAccountLock(email);
    await expect(assertSignInAllowed(email, undefined)).resolves.toBeUndefined();
  });

  it(`refuses an address after ${MAX_ADDRESS_FAILURES} failures across accounts (password spraying)`, async () => {
    setTestEnv(env);
    const ip = `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < MAX_ADDRESS_FAILURES; i++) await recordSignInFailure(`${newId()}@spray.test`, ip);
    await expect(assertSignInAllowed(`${newId()}@spray.test`, ip)).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(assertSignInAllowed(`${newId()}@spray.test`, '10.8.0.1')).resolves.toBeUndefined();
  });
});
