import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempDataDir } from '@/lib/testing/temp-app';
import { getStore } from '@/lib/store';
import { bootPacks } from '@/lib/packs/boot';
import { getRegionPack } from '@/lib/orgs/region-pack';
import { installJobs } from '@/lib/jobs';
import { APP_JOBS } from '@/lib/app-jobs';
import type { TInstitution, TOrgUnit, TTeam, TUser } from '@/lib/orgs/types';
import type { TCase, TSubmission } from '@/lib/cases/types';
import type { TFileDoc } from '@/lib/files/files';
import { readDemoFiles, seedDemoData } from './seed';

let cleanup: () => Promise<void>;
beforeAll(async () => {
  cleanup = openTempDataDir();
  installJobs(APP_JOBS);
  await bootPacks();
});
afterAll(async () => cleanup());

describe('demo data of every pack', () => {
  const files = readDemoFiles();

  it('loads every configs/<pack>/demo.json, replaying its demo cases through the real services', async () => {
    expect(files.map((f) => f.packId)).toEqual(expect.arrayContaining(['sample']));
    const { seeded } = await seedDemoData(files);
    expect(seeded).toHaveLength(files.length);
  });

  it('uses only roles, institution types and team kinds its pack declares', async () => {
    const store = await getStore();
    for (const f of files) {
      const region = await store.collection<TOrgUnit>('orgUnits').findOne({ kind: 'region', code: f.demo.region.code });
      const pack = (await getRegionPack(region!._id))!;
      const types = pack.bindings.institutionTypes ? pack.dictionaries[pack.bindings.institutionTypes].options.map((o) => o.value) : undefined;
      const insts = await store.collection<TInstitution>('institutions').find({ regionId: region!._id });
      if (types) for (const i of insts) expect(types, `${f.file}: institution type ${i.type}`).toContain(i.type);
      const users = await store.collection<TUser>('users').find({ 'memberships.institutionId': { $in: insts.map((i) => i._id) } });
      for (const u of users) for (const m of u.memberships) for (const r of m.roles) expect(Object.keys(pack.roles), `${f.file}: role ${r} of ${u.email}`).toContain(r);
      const teams = await store.collection<TTeam>('teams').find({ regionId: region!._id });
      for (const t of teams) expect(pack.teamKinds[t.kind]?.scope, `${f.file}: team kind ${t.kind}`).toBe('institutional');
      // One demo account per staff role of the pack (real packs; the sample pack is for tests).
      if (f.packId !== 'sample') {
        const held = new Set(users.flatMap((u) => u.memberships.flatMap((m) => m.roles)));
        expect([...held].sort(), `${f.file}: one user per role`).toEqual(Object.keys(pack.roles).sort());
      }
    }
  });

  it('approves each demo catalogue entry, so plans can pick services from the start', async () => {
    const entries = await (await getStore()).collection<{ _id: string; status: string; revision: number; createdAt: Date; updatedAt: Date }>('catalogueEntries').find({});
    expect(entries.length).toBe(files.reduce((n, f) => n + f.demo.catalogue.length, 0));
    expect(new Set(entries.map((e) => e.status))).toEqual(new Set(['approved']));
  });

  it('lets a plan update form (ZZK protocol part D) update the tasks of the plan (part B) instead of duplicating them', async () => {
    const store = await getStore();
    const c = await store.collection<TCase>('cases').findOne({ packId: 'miejski-3d', 'subject.name': { $regex: 'Grabowsk' } });
    const tasks = await store.collection<{ _id: string; planKey?: string; revision: number; createdAt: Date; updatedAt: Date }>('tasks').find({ caseId: c!._id, source: 'plan' });
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => t.planKey!.startsWith(`${c!._id}:protokol-zzk-b:`))).toBe(true);
  });

  it('gives the person who opens a case the member role of their staff role (miejski-3d: the OPS social worker leads, a school pedagogue joins)', async () => {
    const store = await getStore();
    const users = await store.collection<TUser>('users').find({ email: { $in: ['pracownik-instytucji@miejski-3d.kooperacja.test', 'pracownik-socjalny@miejski-3d.kooperacja.test'] } });
    const roleOfCreator = async (name: string) => {
      const c = await store.collection<TCase>('cases').findOne({ packId: 'miejski-3d', 'subject.name': { $regex: name } });
      return { creator: users.find((u) => u._id === c!.createdByUserId)?.email, role: c!.team.find((t) => t.userId === c!.createdByUserId)?.role };
    };
    expect(await roleOfCreator('Lewandowsk')).toEqual({ creator: 'pracownik-instytucji@miejski-3d.kooperacja.test', role: 'czlonek-zzk' });
    expect(await roleOfCreator('Sikor')).toEqual({ creator: 'pracownik-socjalny@miejski-3d.kooperacja.test', role: 'prowadzacy-zzk' });
  });

  it('stores every file a demo submission points at (consent scans are real uploads)', async () => {
    const store = await getStore();
    const subs = await store.collection<TSubmission>('submissions').find({});
    const ids = [...JSON.stringify(subs.map((s) => s.data)).matchAll(/"\/api\/files\/([^"/?]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThanOrEqual(files.length);
    const stored = await store.collection<TFileDoc>('files').find({ _id: { $in: ids } });
    expect(new Set(stored.map((f) => f._id))).toEqual(new Set(ids));
  });

  it('keys urban-rural records by the card number, which is the case number whatever the submitter typed (AC-4)', async () => {
    const store = await getStore();
    const cases = await store.collection<TCase>('cases').find({ packId: 'miejsko-wiejski', kind: 'case' });
    const subs = await store.collection<TSubmission>('submissions').find({ caseId: { $in: cases.map((c) => c._id) }, status: 'submitted', formKey: { $in: ['raport-postepu', 'monitoring-informacja', 'karta-planu-pracy-b'] } });
    expect(subs.length).toBeGreaterThan(0);
    for (const s of subs) expect(s.data.nrKarty ?? s.data.nr, `${s.formKey}`).toBe(cases.find((c) => c._id === s.caseId)!.number);
  });

  it('puts the demo families of the sample pack in several states of the flow', async () => {
    const cases = await (await getStore()).collection<TCase>('cases').find({ packId: 'sample' });
    expect(new Set(cases.map((c) => JSON.stringify(c.state.value))).size).toBeGreaterThan(1);
  });
});
