/**
 * Consent scope on the real embedded store (sample pack): a case-team member whose institution the
 * consent does not name — or anyone but the controller once it expires or is withdrawn — sees the case
 * number and its own tasks, and gets 403 on forms and 404 on submissions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempDataDir } from '@/lib/testing/temp-app';
import { getStore } from '@/lib/store';
import { bootPacks } from '@/lib/packs/boot';
import { readDemoFiles, seedDemoData } from '@/lib/demo/seed';
import { loadPrincipal } from '@/lib/auth/principal';
import { setClockOffsetMs } from '@/lib/clock';
import type { TInstitution, TOrgUnit, TUser } from '@/lib/orgs/types';
import type { TPrincipal } from '@/lib/policy/policy';
import { createCase } from './create-case';
import { sendEvent } from './events';
import { getCaseForm, getSubmission, submitForm } from './submissions';
import { withdrawConsent } from './consent';
import { listMyTasks, updateTask } from './tasks';
import { getCaseView, listCases } from './queries';
import { cols } from './context';
import { encode } from 'next-auth/jwt';
import { authSecret } from '@/lib/auth/secret';
import { saveFile } from '@/lib/files/files';
import { GET as getCaseRoute } from '@/app/api/cases/[id]/route';
import { GET as getFormRoute } from '@/app/api/cases/[id]/forms/[formKey]/route';
import { GET as getSubmissionRoute } from '@/app/api/cases/[id]/submissions/[submissionId]/route';
import { GET as getConsentsRoute } from '@/app/api/cases/[id]/consents/route';
import { GET as getFileRoute } from '@/app/api/files/[id]/route';

let cleanup: () => Promise<void>;
const p: Record<string, TPrincipal> = {};
let gmina: TOrgUnit;
const inst: Record<string, TInstitution> = {};
const date = (iso: string) => `${iso}T00:00:00.000Z`;
let caseId: string;
let planSubmissionId: string;
let scanId: string;
const cookie: Record<string, string> = {};
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** GET a route handler as the browser would, signed in as `who`. */
async function http(handler: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>, url: string, params: Record<string, string>, who: string): Promise<Response> {
  return handler(new Request(`http://localhost:3000${url}`, { headers: { cookie: cookie[who] } }), { params: Promise.resolve(params) });
}

async function revision(): Promise<number> {
  return (await getCaseView(p.ps, caseId)).case.revision;
}

beforeAll(async () => {
  cleanup = openTempDataDir();
  await bootPacks();
  await seedDemoData(readDemoFiles().filter((d) => d.packId === 'sample'));
  const store = await getStore();
  gmina = (await store.collection<TOrgUnit>('orgUnits').findOne({ code: 'gmina-zielona' }))!;
  for (const code of ['ops-zielona', 'szkola-zielona', 'kpp-przykladowy']) inst[code] = (await store.collection<TInstitution>('institutions').findOne({ code }))!;
  for (const e of ['ps', 'pedagog', 'policja']) {
    const u = await store.collection<TUser>('users').findOne({ email: `${e}@sample.kooperacja.test` });
    p[e] = (await loadPrincipal(u!._id))!;
    cookie[e] = `next-auth.session-token=${await encode({ token: { uid: u!._id, sub: u!._id }, secret: authSecret() })}`;
  }
  const c = await createCase(p.ps, { orgUnitId: gmina._id, institutionId: inst['ops-zielona']._id, subject: { type: 'family', name: 'Rodzina Zakresowa', members: [{ firstName: 'Ewa', lastName: 'Zakresowa' }] } });
  caseId = c._id;
  await submitForm(p.ps, caseId, 'zgloszenie', { data: { dataZgloszenia: date('2026-11-01'), zrodloZgloszenia: 'samozgloszenie', opisSytuacji: 'Rodzina potrzebuje wsparcia.', przeslanki: { p1: true, p2: false, p3: false, p4: false, p5: false } } });
  await sendEvent(p.ps, caseId, { type: 'PRZYJMIJ', revision: await revision() });
  for (const [who, code] of [['pedagog', 'szkola-zielona'], ['policja', 'kpp-przykladowy']] as const) {
    await sendEvent(p.ps, caseId, { type: 'DODAJ_CZLONKA', revision: await revision(), payload: { type: 'person', institutionId: inst[code]._id, userId: p[who].userId, role: 'czlonek' } });
  }
});
afterAll(async () => {
  setClockOffsetMs(0);
  await cleanup();
});

describe('consent scope', () => {
  it('refuses a consent naming an institution outside the region (400) and stores nothing', async () => {
    const err = await submitForm(p.ps, caseId, 'zgoda', { data: { dataZgody: date('2026-11-02'), celPrzetwarzania: 'Współpraca', odbiorcy: { 'institution:nie-ma-takiej': true } } }).catch((e) => e);
    expect(err).toMatchObject({ code: 'validation' });
    expect(await (await cols()).consents.count({ caseId })).toBe(0);
    expect(await (await cols()).submissions.count({ caseId, formKey: 'zgoda' })).toBe(0);
  });

  it('records a structured scope from the consent form', async () => {
    const school = inst['szkola-zielona']._id;
    const scan = await saveFile({ name: 'zgoda.pdf', bytes: PDF, uploadedBy: p.ps.userId, scope: { regionId: gmina.regionId!, powiatId: gmina.powiatId, gminaId: gmina._id } });
    scanId = scan._id;
    const skanZgody = [{ storage: 'url', name: scan.name, originalName: scan.name, size: scan.size, type: scan.type, url: `/api/files/${scan._id}`, data: { id: scan._id } }];
    await submitForm(p.ps, caseId, 'zgoda', { data: { dataZgody: date('2026-11-02'), waznaDo: date('2027-05-01'), celPrzetwarzania: 'Współpraca', odbiorcy: { [`institution:${school}`]: true }, skanZgody } });
    const consent = (await (await cols()).consents.find({ caseId }))[0];
    expect(consent.scope).toEqual({ wholeTeam: false, institutionIds: [school], institutionTypes: [] });
    expect(consent.validTo?.toISOString()).toBe(date('2027-05-01'));
    await sendEvent(p.ps, caseId, { type: 'ZGODA_PODPISANA', revision: await revision() });
    const plan = await submitForm(p.ps, caseId, 'plan', {
      data: {
        celNadrzedny: 'Stabilizacja',
        terminOd: date('2026-11-03'),
        terminDo: date('2027-11-03'),
        zadania: [
          { cel: 'Szkoła', zadanie: 'Zajęcia wyrównawcze', odpowiedzialny: `institution:${school}`, status: 'planowane' },
          { cel: 'Policja', zadanie: 'Wizyta dzielnicowego', odpowiedzialny: `institution:${inst['kpp-przykladowy']._id}`, status: 'planowane' },
        ],
      },
    });
    planSubmissionId = plan._id;
  });

  it('shows a member outside the consent only the case number and its own tasks', async () => {
    const view = await getCaseView(p.policja, caseId);
    expect(view.case.number).toMatch(/^ZIELONA\//);
    expect(view.case.subject).toEqual({ type: 'family', name: '', members: [] });
    expect(view.dataAccess).toMatchObject({ allowed: false, reasons: expect.arrayContaining([expect.objectContaining({ code: 'consent_not_covered' })]) });
    expect(view.forms).toEqual([]);
    expect(view.timeline).toEqual([]);
    expect(view.consents).toEqual([]);
    expect(view.tasks.map((t) => t.title)).toEqual(['Wizyta dzielnicowego']);
    expect((await listCases(p.policja, { status: 'active', page: 1, pageSize: 20 })).items.find((i) => i._id === caseId)?.subjectName).toBe('');
    // Searching by the family name finds nothing; by the case number it finds the case.
    expect((await listCases(p.policja, { status: 'active', q: 'Zakresowa', page: 1, pageSize: 20 })).items.map((i) => i._id)).not.toContain(caseId);
    expect((await listCases(p.pedagog, { status: 'active', q: 'Zakresowa', page: 1, pageSize: 20 })).items.map((i) => i._id)).toContain(caseId);
    expect((await listCases(p.policja, { status: 'active', q: view.case.number, page: 1, pageSize: 20 })).items.map((i) => i._id)).toContain(caseId);

    await expect(getCaseForm(p.policja, caseId, 'plan')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(submitForm(p.policja, caseId, 'plan', { data: {} })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(getSubmission(p.policja, caseId, planSubmissionId)).rejects.toMatchObject({ code: 'not_found' });

    const mine = (await listMyTasks(p.policja, { status: 'active', page: 1, pageSize: 25 })).items.filter((t) => t.caseId === caseId);
    expect(mine.map((t) => t.title)).toEqual(['Wizyta dzielnicowego']);
    expect((await updateTask(p.policja, mine[0]._id, { revision: mine[0].revision, status: 'done' })).status).toBe('done');
  });

  it('answers the same over HTTP: the case number 200, forms 403, a submission 404, consents and the consent scan 403', async () => {
    const kase = await http(getCaseRoute, `/api/cases/${caseId}`, { id: caseId }, 'policja');
    expect(kase.status).toBe(200);
    const body = (await kase.json()) as { case: { number: string; subject: { name: string } } };
    expect(body.case.number).toMatch(/^ZIELONA\//);
    expect(body.case.subject.name).toBe('');
    expect((await http(getFormRoute, `/api/cases/${caseId}/forms/plan`, { id: caseId, formKey: 'plan' }, 'policja')).status).toBe(403);
    expect((await http(getSubmissionRoute, `/api/cases/${caseId}/submissions/${planSubmissionId}`, { id: caseId, submissionId: planSubmissionId }, 'policja')).status).toBe(404);
    expect((await http(getConsentsRoute, `/api/cases/${caseId}/consents`, { id: caseId }, 'policja')).status).toBe(403);
    expect((await http(getFileRoute, `/api/files/${scanId}`, { id: scanId }, 'policja')).status).toBe(403);
    // The institution the consent names reads all of it.
    expect((await http(getFormRoute, `/api/cases/${caseId}/forms/plan`, { id: caseId, formKey: 'plan' }, 'pedagog')).status).toBe(200);
    expect((await http(getFileRoute, `/api/files/${scanId}`, { id: scanId }, 'pedagog')).status).toBe(200);
  });

  it('lets the named institution and the controller see the family data', async () => {
    const school = await getCaseView(p.pedagog, caseId);
    expect(school.dataAccess.allowed).toBe(true);
    expect(school.case.subject.name).toBe('Rodzina Zakresowa');
    expect((await getSubmission(p.pedagog, caseId, planSubmissionId)).formKey).toBe('plan');
    expect((await getCaseView(p.ps, caseId)).dataAccess.reasons.map((r) => r.code)).toContain('consent_controller');
  });

  it('reads a consent written before scopes existed as covering the whole team', async () => {
    const { cases } = await cols();
    const c = (await cases.findById(caseId))!;
    const legacy = { status: 'active' as const, consentId: c.consent.consentId };
    await cases.updateById(c._id, c.revision, { $set: { consent: legacy } });
    expect((await getCaseView(p.policja, caseId)).dataAccess).toMatchObject({ allowed: true, reasons: expect.arrayContaining([expect.objectContaining({ code: 'consent_legacy' })]) });
    const again = (await cases.findById(caseId))!;
    await cases.updateById(again._id, again.revision, { $set: { consent: c.consent } });
  });

  it('after the validity period only the controller keeps the data', async () => {
    setClockOffsetMs(Date.parse(date('2027-06-01')) - Date.now());
    try {
      expect((await getCaseView(p.pedagog, caseId)).dataAccess).toMatchObject({ allowed: false, reasons: expect.arrayContaining([expect.objectContaining({ code: 'consent_expired' })]) });
      await expect(getCaseForm(p.pedagog, caseId, 'plan')).rejects.toMatchObject({ code: 'forbidden' });
      expect((await getCaseView(p.ps, caseId)).dataAccess.allowed).toBe(true);
    } finally {
      setClockOffsetMs(0);
    }
  });

  it('after withdrawal the named institution sees the number and its own tasks only', async () => {
    const view = await getCaseView(p.ps, caseId);
    await withdrawConsent(p.ps, caseId, view.case.consent.consentId!, { reason: 'Rodzina wycofała zgodę.' });
    const school = await getCaseView(p.pedagog, caseId);
    expect(school.dataAccess.allowed).toBe(false);
    expect(school.tasks.map((t) => t.title)).toEqual(['Zajęcia wyrównawcze']);
    await expect(getSubmission(p.pedagog, caseId, planSubmissionId)).rejects.toMatchObject({ code: 'not_found' });
    expect((await getCaseView(p.ps, caseId)).forms.length).toBeGreaterThan(0);
  });
});
