import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempDataDir } from '@/lib/testing/temp-app';
import { getStore } from '@/lib/store';
import { bootPacks } from '@/lib/packs/boot';
import { seedDemoData, DEMO_PASSWORD, ZDemo, type TDemo } from '@/lib/demo/seed';
import { loadPrincipal } from '@/lib/auth/principal';
import { signInWithPassword } from '@/lib/auth/sign-in';
import { MAX_ACCOUNT_FAILURES } from '@/lib/auth/throttle';
import { listAuditEvents } from '@/lib/audit/audit';
import { createUser, resetUserPassword, updateUser, listUsers } from './users';
import { createInstitution } from './institutions';
import { addTeamMember, leaveTeam, listTeams } from './teams';
import type { TOrgUnit, TUser } from './types';
import type { TPrincipal } from '@/lib/policy/policy';

const demo = (code: string, suffix: string): TDemo =>
  ZDemo.parse({
  region: { code, name: `Województwo ${code}` },
  powiats: [{ code: `powiat-${suffix}`, name: `Powiat ${suffix}`, gminas: [{ code: `gmina-${suffix}`, name: `Gmina ${suffix}`, type: 'wiejska' }] }],
  institutions: [
    { code: `ops-${suffix}`, name: `OPS ${suffix}`, type: 'ops', unit: `gmina-${suffix}` },
    { code: `szkola-${suffix}`, name: `Szkoła ${suffix}`, type: 'szkola', unit: `gmina-${suffix}` },
  ],
  users: [
    { email: `admin@${suffix}.test`, name: `Admin ${suffix}`, memberships: [], regionAdmin: true },
    { email: `ps@${suffix}.test`, name: `Pracownik ${suffix}`, memberships: [{ institution: `ops-${suffix}`, roles: ['pracownik-socjalny'] }], regionAdmin: false },
    { email: `kier@${suffix}.test`, name: `Kierownik ${suffix}`, memberships: [{ institution: `ops-${suffix}`, roles: ['kierownik-ops'] }], regionAdmin: false },
  ],
  teams: [{ code: `pzk-${suffix}`, kind: 'zespol-partnerski', name: `Zespół ${suffix}`, unit: `gmina-${suffix}`, members: [{ institution: `ops-${suffix}`, role: 'lider' }] }],
  });

let cleanup: () => Promise<void>;
const principals: Record<string, TPrincipal> = {};
async function principalOf(email: string): Promise<TPrincipal> {
  const u = await (await getStore()).collection<TUser>('users').findOne({ email });
  return (principals[email] = (await loadPrincipal(u!._id))!);
}

beforeAll(async () => {
  cleanup = openTempDataDir();
  await bootPacks();
  await seedDemoData([
    { packId: 'sample', packVersion: '1.0.0', file: 'test-a', demo: demo('region-a', 'a') },
    { packId: 'sample', packVersion: '1.0.0', file: 'test-b', demo: demo('region-b', 'b') },
  ]);
});
afterAll(async () => cleanup());

describe('identity and organisations', () => {
  it('resolves a principal with pack permissions and the institution’s scope', async () => {
    const ps = await principalOf('ps@a.test');
    expect(ps.memberships).toHaveLength(1);
    expect(ps.memberships[0].permissions).toContain('case.create');
    expect(ps.memberships[0].level).toBe('gmina');
    const kier = await principalOf('kier@a.test');
    expect(kier.teams.map((t) => t.kind)).toEqual(['zespol-partnerski']);
  });

  it('seeding is idempotent', async () => {
    const again = await seedDemoData([{ packId: 'sample', packVersion: '1.0.0', file: 'test-a', demo: demo('region-a', 'a') }]);
    expect(again.seeded).toEqual([]);
  });

  it('lets a region administrator create a user with a one-time password that signs in', async () => {
    const admin = await principalOf('admin@a.test');
    const ops = await (await getStore()).collection('institutions').findOne({ code: 'ops-a' });
    const res = await createUser(admin, { email: 'Nowa@A.test', name: 'Nowa Osoba', memberships: [{ institutionId: ops!._id, roles: ['partner'] }] });
    expect(res.oneTimePassword).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(res.user).not.toHaveProperty('passwordHash');
    const signed = await signInWithPassword('nowa@a.test', res.oneTimePassword!, '127.0.0.1');
    expect(signed?.mustChangePassword).toBe(true);
    const audit = await listAuditEvents(admin, { action: 'user.create', page: 1, pageSize: 10 });
    expect(audit.items[0].after).toMatchObject({ email: 'nowa@a.test' });
    expect(JSON.stringify(audit.items[0])).not.toContain('passwordHash');
  });

  it('refuses unknown roles and other tenants (404) and lacking permission (403)', async () => {
    const adminA = await principalOf('admin@a.test');
    const ps = await principalOf('ps@a.test');
    const opsB = await (await getStore()).collection('institutions').findOne({ code: 'ops-b' });
    const opsA = await (await getStore()).collection('institutions').findOne({ code: 'ops-a' });
    await expect(createUser(adminA, { email: 'x@a.test', name: 'X Y', memberships: [{ institutionId: opsA!._id, roles: ['nie-ma-takiej'] }] })).rejects.toMatchObject({ code: 'validation' });
    await expect(createUser(adminA, { email: 'x@a.test', name: 'X Y', memberships: [{ institutionId: opsB!._id, roles: ['partner'] }] })).rejects.toMatchObject({ code: 'not_found' });
    await expect(createUser(ps, { email: 'x@a.test', name: 'X Y', memberships: [{ institutionId: opsA!._id, roles: ['partner'] }] })).rejects.toMatchObject({ code: 'forbidden' });
    const gmina = await (await getStore()).collection<TOrgUnit>('orgUnits').findOne({ code: 'gmina-a' });
    await expect(createInstitution(adminA, { name: 'Zły typ', type: 'kosmodrom', orgUnitId: gmina!._id })).rejects.toMatchObject({ code: 'validation' });
    expect((await listUsers(adminA)).map((u) => u.email)).not.toContain('ps@b.test');
  });

  it(`locks an account after ${MAX_ACCOUNT_FAILURES} wrong passwords; an admin reset lifts the lock`, async () => {
    for (let i = 0; i < MAX_ACCOUNT_FAILURES - 1; i++) expect(await signInWithPassword('ps@a.test', 'zle-haslo', '10.0.0.1')).toBeNull();
    await expect(signInWithPassword('ps@a.test', 'zle-haslo', '10.0.0.1')).rejects.toThrow(/zablokowane/);
    await expect(signInWithPassword('ps@a.test', DEMO_PASSWORD, '10.0.0.1')).rejects.toThrow(/zablokowane/);
    const admin = await principalOf('admin@a.test');
    const user = await (await getStore()).collection<TUser>('users').findOne({ email: 'ps@a.test' });
    const handout = await resetUserPassword(admin, user!._id, 'one-time-password');
    expect(await signInWithPassword('ps@a.test', handout.oneTimePassword!, '10.0.0.1')).not.toBeNull();
  });

  it('records before/after on updates and keeps a 409 on a stale revision', async () => {
    const admin = await principalOf('admin@a.test');
    const user = await (await getStore()).collection<TUser>('users').findOne({ email: 'kier@a.test' });
    await updateUser(admin, user!._id, { revision: user!.revision, name: 'Kierownik Zmieniony' });
    await expect(updateUser(admin, user!._id, { revision: user!.revision, name: 'Znowu' })).rejects.toMatchObject({ code: 'conflict' });
    const audit = await listAuditEvents(admin, { action: 'user.update', page: 1, pageSize: 5 });
    expect(audit.items[0]).toMatchObject({ before: { name: 'Kierownik a' }, after: { name: 'Kierownik Zmieniony' } });
  });

  it('adds and removes team members with dates, keeping history', async () => {
    const kier = await principalOf('kier@a.test');
    const [team] = (await listTeams(kier)).filter((t) => t.regionId === kier.memberships[0].scope.regionId);
    const school = await (await getStore()).collection('institutions').findOne({ code: 'szkola-a' });
    const added = await addTeamMember(kier, team._id, { revision: team.revision, type: 'institution', institutionId: school!._id, role: 'czlonek-zespolu' });
    const member = added.members.find((m) => m.institutionId === school!._id)!;
    const left = await leaveTeam(kier, team._id, { revision: added.revision, memberId: member.id });
    expect(left.members.find((m) => m.id === member.id)?.leftAt).toBeInstanceOf(Date);
    const ps = await principalOf('ps@a.test');
    await expect(addTeamMember(ps, team._id, { revision: left.revision, type: 'institution', institutionId: school!._id })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
