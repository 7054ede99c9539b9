import 'server-only';
import { getStore } from '@/lib/store';
import { env } from '@/lib/env';
import { now } from '@/lib/clock';
import { isAppError } from '@/lib/errors';
import type { TUser } from '@/lib/orgs/types';
import { recordChange } from '@/lib/audit/audit';
import { scopeOfUser } from '@/lib/orgs/users';
import { hashPassword, needsRehash, verifyPassword } from './password';
import { assertSignInAllowed, recordSignInFailure, recordSignInSuccess } from './throttle';

/** A hash to compare against when the account does not exist, so timing does not reveal which e-mails exist. */
let dummyHash: Promise<string> | undefined;

/**
 * Checks e-mail + password with throttling. Returns the user, or null for "wrong e-mail or password"
 * (never says which); throws an Error whose message the sign-in page shows when locked out.
 */
export async function signInWithPassword(emailRaw: string, password: string, ip: string | undefined): Promise<TUser | null> {
  const email = emailRaw.trim().toLowerCase();
  try {
    await assertSignInAllowed(email, ip);
  } catch (e) {
    if (isAppError(e)) throw new Error(e.message);
    throw e;
  }
  const users = (await getStore()).collection<TUser>('users');
  const user = await users.findOne({ email });
  const usable = user && user.status === 'active' && user.passwordHash && !(user.demo && env().NODE_ENV === 'production');
  const ok = await verifyPassword(password, usable ? user.passwordHash! : await (dummyHash ??= hashPassword('x')));
  if (!usable || !ok) {
    const { locked } = await recordSignInFailure(email, ip);
    if (locked) throw new Error('Konto zostało czasowo zablokowane po wielu nieudanych próbach logowania. Spróbuj ponownie za kilkanaście minut.');
    return null;
  }
  await recordSignInSuccess(email);
  const update: Record<string, unknown> = { lastLoginAt: now() };
  if (needsRehash(user.passwordHash!)) update.passwordHash = await hashPassword(password);
  const updated = await users.updateById(user._id, user.revision, { $set: update }).catch((e: unknown) => {
    // A concurrent sign-in of the same account recorded it first: that record is as good as ours.
    if (isAppError(e) && e.code === 'conflict') return user;
    throw e;
  });
  await recordChange({ actor: { userId: user._id, name: user.name }, action: 'auth.sign-in', target: { type: 'user', id: user._id, label: user.email }, scope: await scopeOfUser(user), after: { method: 'password' } });
  return updated;
}

/** Finds the account for an SSO identity: by the linked subject, or by e-mail on first use (then links it). */
export async function linkOidcIdentity(subject: string, email: string | undefined): Promise<TUser | null> {
  const users = (await getStore()).collection<TUser>('users');
  const bySubject = await users.findOne({ oidcSubject: subject });
  if (bySubject) return bySubject.status === 'active' ? bySubject : null;
  if (!email) return null;
  const byEmail = await users.findOne({ email: email.toLowerCase(), status: 'active' });
  if (!byEmail || byEmail.oidcSubject) return null;
  const linked = await users.updateById(byEmail._id, byEmail.revision, { $set: { oidcSubject: subject, lastLoginAt: now() } });
  await recordChange({ actor: { userId: linked._id, name: linked.name }, action: 'auth.oidc-link', target: { type: 'user', id: linked._id, label: linked.email }, scope: await scopeOfUser(linked), before: { oidcSubject: null }, after: { oidcSubject: subject } });
  return linked;
}
