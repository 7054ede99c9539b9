/**
 * The case runtime end to end on the sample pack and the real embedded store: create → forms → events →
 * consent → plan → tasks → deadlines (simulated clock) → consent withdrawal; concurrency and access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempDataDir } from '@/lib/testing/temp-app';
import { getStore } from '@/lib/store';
import { bootPacks } from '@/lib/packs/boot';
import { readDemoFiles, seedDemoData } from '@/lib/demo/seed';
import { loadPrincipal } from '@/lib/auth/principal';
import { closeJobs, getJobs, installJobs, sweepOnce } from '@/lib/jobs';
import { APP_JOBS } from '@/lib/app-jobs';
import { setClockOffsetMs } from '@/lib/clock';
import type { TInstitution, TOrgUnit, TUser } from '@/lib/orgs/types';
import type { TPrincipal } from '@/lib/policy/policy';
import { createCase } from './create-case';
import { sendEvent } from './events';
import { submitForm, saveDraft, getCaseForm } from './submissions';
import { withdrawConsent } from './consent';
import { listMyTasks, updateTask } from './tasks';
import { getCaseView, listCases } from './queries';
import { cols } from './context';

let cleanup: () => Promise<void>;
const p: Record<string, TPrincipal> = {};
let gmina: TOrgUnit;
let ops: TInstitution;
let school: TInstitution;
const who = async (email: string) => {
  const u = await (await getStore()).collection<TUser>('users').findOne({ email: `${email}@sample.kooperacja.test` });
  return (await loadPrincipal(u!._id))!;
};
const date = (iso: string) => `${iso}T00:00:00.000Z`;

beforeAll(async () => {
  cleanup = openTempDataDir();
  installJobs(APP_JOBS);
  await bootPacks();
  await seedDemoData(readDemoFiles().filter((d) => d.packId === 'sample'));
  const store = await getStore();
  gmina = (await store.collection<TOrgUnit>('orgUnits').findOne({ code: 'gmina-zielona' }))!;
  ops = (await store.collection<TInstitution>('institutions').findOne({ code: 'ops-zielona' }))!;
  school = (await store.collection<TInstitution>('institutions').findOne({ code: 'szkola-zielona' }))!;
  for (const e of ['ps', 'kierownik', 'pedagog', 'ps.lipowa', 'policja']) p[e] = await who(e);
  await getJobs().startWorker();
});
afterAll(async () => {
  setClockOffsetMs(0);
  await closeJobs();
  await cleanup();
});

describe('case runtime', () => {
  let caseId: string;

  it('creates a case pinned to the pack version, with the creator on the team', async () => {
    const c = await createCase(p.ps, {
      orgUnitId: gmina._id,
      institutionId: ops._id,
      subject: { type: 'family', name: 'Rodzina Testowa', members: [{ firstName: 'Anna', lastName: 'Testowa', pesel: '44051401359', relation: 'matka' }, { firstName: 'Ola', lastName: 'Testowa', relation: 'córka' }] },
    });
    caseId = c._id;
    expect(c).toMatchObject({ packId: 'sample', packVersion: '1.0.0', flowKey: 'sprawa', state: { value: 'zgloszenie' }, status: 'active' });
    expect(c.number).toMatch(/^ZIELONA\/\d{4}\/\d{4}$/);
    expect(c.team).toEqual([expect.objectContaining({ userId: p.ps.userId, role: 'koordynator' })]);
    await expect(createCase(p.ps, { orgUnitId: gmina._id, institutionId: ops._id, subject: { type: 'person', name: 'X', members: [{ firstName: 'A', lastName: 'B', pesel: '12345678901' }] } })).rejects.toThrow();
  });

  it('hides the case from another tenant and from colleagues who are not on its team (404)', async () => {
    await expect(getCaseView(p['ps.lipowa'], caseId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(getCaseView(p.pedagog, caseId)).rejects.toMatchObject({ code: 'not_found' });
    expect((await getCaseView(p.kierownik, caseId)).case.number).toBeDefined(); // case.read.all in the gmina
    expect((await listCases(p.pedagog, { status: 'active', page: 1, pageSize: 20 })).items.map((i) => i._id)).not.toContain(caseId);
    expect((await listCases(p.ps, { status: 'active', page: 1, pageSize: 20 })).items.map((i) => i._id)).toContain(caseId);
  });

  it('refuses an invalid submission with field errors and stores nothing', async () => {
    const err = await submitForm(p.ps, caseId, 'zgloszenie', { data: { opisSytuacji: '' } }).catch((e) => e);
    expect(err).toMatchObject({ code: 'validation' });
    expect(err.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['data.opisSytuacji', 'data.dataZgloszenia']));
    expect(await (await cols()).submissions.count({ caseId })).toBe(0);
  });

  it('keeps drafts per author and refuses a stale draft revision', async () => {
    const d1 = await saveDraft(p.ps, caseId, 'zgloszenie', { data: { opisSytuacji: 'wersja robocza' } });
    await saveDraft(p.ps, caseId, 'zgloszenie', { data: { opisSytuacji: 'druga' }, revision: d1.revision });
    await expect(saveDraft(p.ps, caseId, 'zgloszenie', { data: { opisSytuacji: 'trzecia' }, revision: d1.revision })).rejects.toMatchObject({ code: 'conflict' });
    expect((await getCaseForm(p.ps, caseId, 'zgloszenie')).draft?.data).toEqual({ opisSytuacji: 'druga' });
  });

  it('applies exactly one of 20 concurrent events on the same revision; the rest get 409', async () => {
    await submitForm(p.ps, caseId, 'zgloszenie', { data: { dataZgloszenia: date('2026-11-01'), zrodloZgloszenia: 'samozgloszenie', opisSytuacji: 'Rodzina potrzebuje wsparcia kilku instytucji.', przeslanki: { p1: true, p2: false, p3: false, p4: false, p5: false } } });
    const { case: c } = await getCaseView(p.ps, caseId);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => sendEvent(p.ps, caseId, { type: 'PRZYJMIJ', revision: c.revision })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(19).fill('conflict'));
    const after = await getCaseView(p.ps, caseId);
    expect(after.case.state.value).toBe('ocena');
    expect(after.tasks.map((t) => t.title)).toContain('Zbierz zgodę osoby/rodziny');
  });

  it('shows only the events the user may send now, and re-checks roles on the server (403)', async () => {
    const view = await getCaseView(p.ps, caseId);
    expect(view.events.map((e) => e.type).sort()).toEqual(['DODAJ_CZLONKA', 'ODRZUC', 'REZYGNACJA', 'USUN_CZLONKA', 'ZGODA_PODPISANA']);
    expect(view.events.find((e) => e.type === 'ZGODA_PODPISANA')).toMatchObject({ enabled: false, missingForms: ['zgoda'] });
    const c = view.case;
    await sendEvent(p.ps, caseId, { type: 'DODAJ_CZLONKA', revision: c.revision, payload: { type: 'person', institutionId: school._id, userId: p.pedagog.userId, role: 'czlonek' } }).catch((e) => e);
    const fresh = await getCaseView(p.pedagog, caseId);
    expect(fresh.team.map((t) => t.userId)).toContain(p.pedagog.userId);
    await expect(sendEvent(p.pedagog, caseId, { type: 'ODRZUC', revision: fresh.case.revision })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(submitForm(p.pedagog, caseId, 'zgoda', { data: {} })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('records consent from the bound form, then plans tasks for another institution that its user completes', async () => {
    const remedial = (await (await getStore()).collection<{ _id: string; name: string; revision: number; createdAt: Date; updatedAt: Date }>('catalogueEntries').findOne({ name: 'Zajęcia wyrównawcze z matematyki i języka polskiego' }))!;
    await submitForm(p.ps, caseId, 'zgoda', { data: { dataZgody: date('2026-11-02'), celPrzetwarzania: 'Współpraca zespołu', podpisujacy: [{ imieNazwisko: 'Anna Testowa' }] } });
    let view = await getCaseView(p.ps, caseId);
    expect(view.case.consent.status).toBe('active');
    await sendEvent(p.ps, caseId, { type: 'ZGODA_PODPISANA', revision: view.case.revision });
    await submitForm(p.ps, caseId, 'plan', {
      data: {
        celNadrzedny: 'Stabilizacja sytuacji rodziny',
        terminOd: date('2026-11-03'),
        terminDo: date('2027-11-03'),
        zadania: [
          { cel: 'Szkoła', zadanie: 'Zajęcia wyrównawcze dla Oli', odpowiedzialny: `institution:${school._id}`, termin: date('2026-12-15'), usluga: remedial._id, status: 'planowane' },
          { cel: 'OPS', zadanie: 'Kontrakt socjalny', odpowiedzialny: `institution:${ops._id}`, status: 'planowane' },
        ],
      },
    });
    view = await getCaseView(p.ps, caseId);
    await sendEvent(p.ps, caseId, { type: 'PLAN_PRZYJETY', revision: view.case.revision });
    view = await getCaseView(p.ps, caseId);
    expect(view.case.state.paths).toContain('realizacja.biezaca');
    // The individual basket (IKU) lists the catalogue service the plan picked, with its provider snapshot.
    expect(view.basket).toEqual([expect.objectContaining({ entryId: remedial._id, name: remedial.name, provider: 'Szkoła Podstawowa im. Marii Konopnickiej w Zielonej' })]);
    // Lines written by effects (plan tasks) name the person whose action caused them.
    expect(view.timeline.find((t) => t.text.startsWith('Plan: nowe zadania'))?.actor).toEqual({ userId: p.ps.userId, name: 'Paulina Socjalna' });

    const mine = await listMyTasks(p.pedagog, { status: 'active', page: 1, pageSize: 25 });
    mine.items = mine.items.filter((t) => t.caseId === caseId);
    expect(mine.items.map((t) => t.title)).toEqual(['Zajęcia wyrównawcze dla Oli']);
    const done = await updateTask(p.pedagog, mine.items[0]._id, { revision: mine.items[0].revision, status: 'done', note: 'Zajęcia rozpoczęte' });
    expect(done.status).toBe('done');
    const opsTask = view.tasks.find((t) => t.title === 'Kontrakt socjalny')!;
    await expect(updateTask(p.pedagog, opsTask._id, { revision: opsTask.revision, status: 'done' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('fires the plan-review rule three months later (simulated clock) as a task for the coordinator', async () => {
    setClockOffsetMs(95 * 24 * 3600_000);
    await sweepOnce();
    await new Promise((r) => setTimeout(r, 500));
    const view = await getCaseView(p.ps, caseId);
    expect(view.tasks.map((t) => t.title)).toContain('Zaplanuj przegląd planu z rodziną i zespołem.');
    setClockOffsetMs(0);
  });

  it('locks the case after consent withdrawal, except closing', async () => {
    let view = await getCaseView(p.ps, caseId);
    await withdrawConsent(p.ps, caseId, view.case.consent.consentId!, { reason: 'Rodzina wycofała zgodę e-mailem.' });
    const err = await submitForm(p.ps, caseId, 'plan', { data: {} }).catch((e) => e);
    expect(err).toMatchObject({ code: 'forbidden' });
    expect(err.message).toMatch(/wycofana/);
    view = await getCaseView(p.ps, caseId);
    expect(view.events.filter((e) => e.enabled).every((e) => e.closes)).toBe(true);
    await expect(sendEvent(p.ps, caseId, { type: 'ROZPOCZNIJ_PRZEGLAD', revision: view.case.revision })).rejects.toMatchObject({ code: 'forbidden' });
    const closed = await sendEvent(p.ps, caseId, { type: 'REZYGNACJA', revision: view.case.revision });
    expect(closed).toMatchObject({ status: 'closed', closure: { reason: 'rezygnacja' } });
  });
});
