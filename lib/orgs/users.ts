import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { getStore } from '@/lib/store';
import { env } from '@/lib/env';
import { now } from '@/lib/clock';
import { AppError, notFound } from '@/lib/errors';
import { recordChange, actorOf } from '@/lib/audit/audit';
import { authorize, scopeFilter, type TPrincipal } from '@/lib/policy/policy';
import { generateOneTimePassword, hashPassword, verifyPassword } from '@/lib/auth/password';
import { passwordPolicyProblem } from '@/lib/auth/password-policy';
import { clearAccountLock } from '@/lib/auth/throttle';
import { getInstitutionOrThrow, scopeOfInstitution } from './institutions';
import { getRegionRoles } from './region-pack';
import { toPublicUser, type TPublicUser, type TUser } from './types';

const RESET_LINK_HOURS = 48;

/** The password policy (lib/auth/password-policy.ts) as a field error on `newPassword`. */
function assertPasswordPolicy(next: string, user: TUser): void {
  const problem = passwordPolicyProblem(next, { email: user.email, name: user.name });
  if (problem) throw new AppError('validation', problem, { details: [{ path: 'newPassword', message: problem }] });
}

const ZMembershipInput = z.object({
  institutionId: z.string().min(1),
  roles: z.array(z.string().min(1)).min(1, 'Wybierz co najmniej jedną rolę.'),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
});

export const ZCreateUser = z.object({
  email: z.string().trim().toLowerCase().email('Podaj poprawny adres e-mail.').max(200),
  name: z.string().trim().min(2).max(200),
  memberships: z.array(ZMembershipInput).default([]),
  regionAdminOf: z.array(z.string().min(1)).default([]),
  /** How the new user gets in: a one-time password shown once to the administrator, or a reset link. */
  credential: z.enum(['one-time-password', 'reset-link']).default('one-time-password'),
});
export type TCreateUser = z.input<typeof ZCreateUser>;

export interface TCredentialHandout {
  oneTimePassword?: string;
  resetLink?: string;
}

async function col() {
  return (await getStore()).collection<TUser>('users');
}

export async function getUserOrThrow(id: string): Promise<TUser> {
  const u = await (await col()).findById(id);
  if (!u) throw notFound('user');
  return u;
}

/** Each membership: the administrator must manage the institution, and the roles must exist in its region's pack. */
async function checkMemberships(principal: TPrincipal, memberships: z.infer<typeof ZMembershipInput>[]): Promise<TUser['memberships']> {
  const out: TUser['memberships'] = [];
  for (const [i, m] of memberships.entries()) {
    const inst = await getInstitutionOrThrow(m.institutionId);
    authorize(principal, 'org.manage', { type: 'institution', id: inst._id, scope: scopeOfInstitution(inst) });
    const roles = await getRegionRoles(inst.regionId);
    const unknown = m.roles.filter((r) => !roles[r]);
    if (unknown.length) {
      throw new AppError('validation', 'Nieznane role.', { details: [{ path: `memberships.${i}.roles`, message: `Pakiet regionu nie zna ról: ${unknown.join(', ')}` }] });
    }
    out.push({ institutionId: inst._id, roles: m.roles, since: m.since ?? now(), ...(m.until ? { until: m.until } : {}) });
  }
  return out;
}

function checkRegionAdmin(principal: TPrincipal, regionIds: string[]): void {
  for (const regionId of regionIds) authorize(principal, 'org.manage', { type: 'region', id: regionId, scope: { regionId } });
}

async function issueCredential(user: TUser, mode: 'one-time-password' | 'reset-link'): Promise<{ set: Record<string, unknown>; handout: TCredentialHandout }> {
  if (mode === 'one-time-password') {
    const oneTimePassword = generateOneTimePassword();
    return { set: { passwordHash: await hashPassword(oneTimePassword), mustChangePassword: true }, handout: { oneTimePassword } };
  }
  const token = randomBytes(32).toString('base64url');
  const reset = { tokenHash: sha256(token), expiresAt: new Date(now().getTime() + RESET_LINK_HOURS * 3600_000) };
  return { set: { reset }, handout: { resetLink: `${env().NEXTAUTH_URL}/logowanie/nowe-haslo?token=${token}` } };
}

export async function createUser(principal: TPrincipal, raw: TCreateUser, requestId?: string): Promise<{ user: TPublicUser } & TCredentialHandout> {
  const input = ZCreateUser.parse(raw);
  if (!input.memberships.length && !input.regionAdminOf.length) {
    throw new AppError('validation', 'Użytkownik musi należeć do instytucji albo administrować regionem.', { details: [{ path: 'memberships', message: 'Dodaj przynajmniej jedną przynależność.' }] });
  }
  const memberships = await checkMemberships(principal, input.memberships);
  checkRegionAdmin(principal, input.regionAdminOf);
  const c = await col();
  if (await c.findOne({ email: input.email })) {
    throw new AppError('conflict', 'Konto z tym adresem e-mail już istnieje.', { details: [{ path: 'email', message: 'Adres jest zajęty.' }] });
  }
  const base = await c.insertOne({
    email: input.email,
    name: input.name,
    mustChangePassword: false,
    platformAdmin: false,
    regionAdminOf: input.regionAdminOf,
    memberships,
    status: 'active',
  });
  const { set, handout } = await issueCredential(base, input.credential);
  const user = await c.updateById(base._id, base.revision, { $set: set });
  await recordChange({ actor: actorOf(principal), action: 'user.create', target: { type: 'user', id: user._id, label: user.email }, scope: await scopeOfUser(user), after: user, requestId });
  return { user: toPublicUser(user), ...handout };
}

export const ZUpdateUser = z.object({
  revision: z.number().int().positive(),
  name: z.string().trim().min(2).max(200).optional(),
  memberships: z.array(ZMembershipInput).optional(),
  regionAdminOf: z.array(z.string().min(1)).optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

export async function updateUser(principal: TPrincipal, id: string, input: z.infer<typeof ZUpdateUser>, requestId?: string): Promise<TPublicUser> {
  const before = await getUserOrThrow(id);
  await assertManages(principal, before);
  const set: Record<string, unknown> = {};
  if (input.name) set.name = input.name;
  if (input.status) set.status = input.status;
  if (input.memberships) {
    // Only memberships that change need the administrator's rights; others (e.g. in an institution it does
    // not manage) must come back unchanged and keep their dates.
    const key = (m: { institutionId: string; roles: string[] }) => `${m.institutionId}|${[...m.roles].sort().join(',')}`;
    const before_ = new Map(before.memberships.map((m) => [key(m), m]));
    const changed = input.memberships.filter((m) => !before_.has(key(m)));
    const removed = before.memberships.filter((m) => !input.memberships!.some((x) => key(x) === key(m)));
    const checked = await checkMemberships(principal, [...changed, ...removed.map((m) => ({ institutionId: m.institutionId, roles: m.roles }))]);
    set.memberships = [...input.memberships.filter((m) => before_.has(key(m))).map((m) => before_.get(key(m))!), ...checked.slice(0, changed.length)];
  }
  if (input.regionAdminOf) {
    checkRegionAdmin(principal, [...input.regionAdminOf, ...before.regionAdminOf]);
    set.regionAdminOf = input.regionAdminOf;
  }
  const after = await (await col()).updateById(id, input.revision, { $set: set });
  await recordChange({ actor: actorOf(principal), action: 'user.update', target: { type: 'user', id, label: after.email }, scope: await scopeOfUser(after), before, after, requestId });
  return toPublicUser(after);
}

/** Administrator's reset: a new one-time password or a reset link; also lifts a sign-in lockout. */
export async function resetUserPassword(principal: TPrincipal, id: string, mode: 'one-time-password' | 'reset-link', requestId?: string): Promise<TCredentialHandout> {
  const user = await getUserOrThrow(id);
  await assertManages(principal, user);
  const { set, handout } = await issueCredential(user, mode);
  await (await col()).updateById(user._id, user.revision, { $set: set });
  await clearAccountLock(user.email);
  await recordChange({ actor: actorOf(principal), action: 'user.password-reset', target: { type: 'user', id, label: user.email }, scope: await scopeOfUser(user), after: { mode }, requestId });
  return handout;
}

/** The user's own change: the current password is required (also for one-time passwords). */
export async function changeOwnPassword(principal: TPrincipal, current: string, next: string, requestId?: string): Promise<void> {
  const user = await getUserOrThrow(principal.userId);
  if (!user.passwordHash || !(await verifyPassword(current, user.passwordHash))) {
    throw new AppError('validation', 'Obecne hasło jest nieprawidłowe.', { details: [{ path: 'currentPassword', message: 'Nieprawidłowe hasło.' }] });
  }
  assertPasswordPolicy(next, user);
  if (current === next) throw new AppError('validation', 'Nowe hasło musi różnić się od obecnego.', { details: [{ path: 'newPassword', message: 'Wybierz inne hasło.' }] });
  await (await col()).updateById(user._id, user.revision, { $set: { passwordHash: await hashPassword(next), mustChangePassword: false } });
  await recordChange({ actor: actorOf(principal), action: 'user.password-change', target: { type: 'user', id: user._id, label: user.email }, scope: await scopeOfUser(user), after: {}, requestId });
}

/** Redeems a reset link: sets the password the user chose. */
export async function redeemResetToken(token: string, next: string): Promise<void> {
  const c = await col();
  const user = await c.findOne({ 'reset.tokenHash': sha256(token) });
  if (!user || !user.reset || user.reset.expiresAt < now()) throw new AppError('gone', 'Link do ustawienia hasła wygasł lub został już użyty. Poproś administratora o nowy.');
  assertPasswordPolicy(next, user);
  await c.updateById(user._id, user.revision, { $set: { passwordHash: await hashPassword(next), mustChangePassword: false }, $unset: { reset: '' } });
  await clearAccountLock(user.email);
  await recordChange({ actor: { userId: user._id, name: user.name }, action: 'user.password-set', target: { type: 'user', id: user._id, label: user.email }, scope: await scopeOfUser(user), after: { via: 'reset-link' } });
}

/** Users the principal administers: members of institutions in its org.manage scope, and region admins of its regions. */
export async function listUsers(principal: TPrincipal): Promise<TPublicUser[]> {
  const f = scopeFilter(principal, 'org.manage');
  if (!f) return [];
  const store = await getStore();
  const instIds = (await store.collection('institutions').find(f)).map((i) => i._id);
  const filter = principal.platformAdmin
    ? {}
    : { $or: [{ 'memberships.institutionId': { $in: instIds } }, { regionAdminOf: { $in: principal.regionAdminOf } }] };
  return (await (await col()).find(filter, { sort: { name: 1 } })).map(toPublicUser);
}

async function assertManages(principal: TPrincipal, user: TUser): Promise<void> {
  if (principal.platformAdmin) return;
  const scopes = [...(await Promise.all(user.memberships.map(async (m) => scopeOfInstitution(await getInstitutionOrThrow(m.institutionId))))), ...user.regionAdminOf.map((regionId) => ({ regionId }))];
  if (!scopes.length) throw notFound('user');
  // Managing an account needs the right over at least one of its institutions; other tenants get 404.
  const errors: unknown[] = [];
  for (const scope of scopes) {
    try {
      authorize(principal, 'org.manage', { type: 'user', id: user._id, scope });
      return;
    } catch (e) {
      errors.push(e);
    }
  }
  throw errors.find((e) => (e as AppError).code === 'forbidden') ?? errors[0];
}

/** The audit scope of an account: its first institution's, or the region it administers. */
export async function scopeOfUser(user: TUser) {
  const first = user.memberships[0];
  if (first) return scopeOfInstitution(await getInstitutionOrThrow(first.institutionId));
  return user.regionAdminOf[0] ? { regionId: user.regionAdminOf[0] } : undefined;
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
