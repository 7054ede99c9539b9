/**
 * The stored outbox on the real embedded store: submission side effects survive a crash between the
 * insert and running them, a failing effect stays stored with a retry deadline, and team changes that
 * keep losing races report a conflict instead of being dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempDataDir } from '@/lib/testing/temp-app';
import { getStore } from '@/lib/store';
import { bootPacks } from '@/lib/packs/boot';
import { readDemoFiles, seedDemoData } from '@/lib/demo/seed';
import { loadPrincipal } from '@/lib/auth/principal';
import { findDeadline } from '@/lib/jobs';
import type { TInstitution, TOrgUnit, TUser } from '@/lib/orgs/types';
import type { TPrincipal } from '@/lib/policy/policy';
import { createCase } from './create-case';
import { submitForm } from './submissions';
import { sendEvent } from './events';
import type { TAuditEvent } from '@/lib/audit/audit';
import { cols, getCaseDocOrThrow } from './context';
import { retryPendingEffects, runSubmissionEffects, submissionEffect } from './outbox';
import { changeTeam } from './team';
import { runPendingEffectsJob } from './jobs/run-pending-effects';
import type { TCase, TSubmission } from './types';

let cleanup: () => Promise<void>;
let ps: TPrincipal;
let gmina: TOrgUnit;
let ops: TInstitution;

beforeAll(async () => {
  cleanup = openTempDataDir();
  await bootPacks();
  await seedDemoData(readDemoFiles().filter((d) => d.packId === 'sample'));
  const store = await getStore();
  gmina = (await store.collection<TOrgUnit>('orgUnits').findOne({ code: 'gmina-zielona' }))!;
  ops = (await store.collection<TInstitution>('institutions').findOne({ code: 'ops-zielona' }))!;
  const u = await store.collection<TUser>('users').findOne({ email: 'ps@sample.kooperacja.test' });
  ps = (await loadPrincipal(u!._id))!;
});
afterAll(async () => cleanup());

const newCase = () => createCase(ps, { orgUnitId: gmina._id, institutionId: ops._id, subject: { type: 'family', name: 'Rodzina Outbox', members: [{ firstName: 'Ewa', lastName: 'Outbox' }] } });

/** A consent version as the insert of submitForm leaves it when the process dies before its effects ran. */
async function consentSubmissionLeftByACrash(c: TCase): Promise<TSubmission> {
  const { submissions } = await cols();
  return submissions.insertOne({
    caseId: c._id, formKey: 'zgoda', seriesId: 'zgoda', packId: c.packId, packVersion: c.packVersion, status: 'submitted', version: 1,
    data: { dataZgody: '2026-11-02T00:00:00.000Z', celPrzetwarzania: 'Współpraca zespołu', podpisujacy: [{ imieNazwisko: 'Ewa Outbox' }] },
    visibility: 'shared', authorUserId: ps.userId, authorInstitutionId: ops._id, submittedAt: new Date(), regionId: c.regionId, powiatId: c.powiatId, gminaId: c.gminaId,
    pendingEffects: [submissionEffect('recordConsent', ps.userId)],
  });
}

describe('stored outbox', () => {
  it('runs a submission’s side effects in the request and clears them', async () => {
    const c = await newCase();
    const s = await submitForm(ps, c._id, 'zgoda', { data: { dataZgody: '2026-11-02T00:00:00.000Z', celPrzetwarzania: 'Współpraca zespołu', podpisujacy: [{ imieNazwisko: 'Ewa Outbox' }] } });
    expect(s.pendingEffects).toEqual([]);
    const { consents } = await cols();
    expect(await consents.count({ submissionId: s._id })).toBe(1);
    expect((await getCaseDocOrThrow(c._id)).consent.status).toBe('active');
  });

  it('records the consent of a submission whose process died before its effects ran (retried at start), exactly once', async () => {
    const c = await newCase();
    const s = await consentSubmissionLeftByACrash(c);
    expect((await getCaseDocOrThrow(c._id)).consent.status).toBe('none');
    expect(await retryPendingEffects()).toBeGreaterThanOrEqual(1);
    const { consents, submissions } = await cols();
    expect(await consents.count({ submissionId: s._id })).toBe(1);
    expect((await submissions.findById(s._id))!.pendingEffects).toEqual([]);
    expect((await getCaseDocOrThrow(c._id)).consent).toMatchObject({ status: 'active' });
    // Running the same effect again (a second process, a replay) records nothing new.
    await submissions.updateById(s._id, (await submissions.findById(s._id))!.revision, { $set: { pendingEffects: [submissionEffect('recordConsent', ps.userId)] } });
    await runSubmissionEffects(s._id);
    expect(await consents.count({ submissionId: s._id })).toBe(1);
  });

  it('keeps a failing effect stored, schedules its retry as a deadline, and the retry job fails while it still fails', async () => {
    const c = await newCase();
    const { submissions } = await cols();
    const orphan = await submissions.insertOne({ ...(await consentSubmissionLeftByACrash(c)), _id: undefined as never, caseId: 'case-that-does-not-exist', seriesId: 'orphan' });
    const effectId = orphan.pendingEffects![0].id;
    const after = await runSubmissionEffects(orphan._id);
    expect(after.pendingEffects?.map((e) => e.id)).toEqual([effectId]);
    expect(await findDeadline(`outbox:submission:${orphan._id}:${effectId}`)).toMatchObject({ status: 'pending', job: 'cases.run-pending-effects', payload: { kind: 'submission', id: orphan._id } });
    await expect(runPendingEffectsJob.handler({ kind: 'submission', id: orphan._id }, undefined as never)).rejects.toMatchObject({ code: 'unavailable' });
    await submissions.deleteMany({ _id: orphan._id });
  });

  it('the retry job completes once the effects succeed', async () => {
    const c = await newCase();
    const s = await consentSubmissionLeftByACrash(c);
    await runPendingEffectsJob.handler({ kind: 'submission', id: s._id }, undefined as never);
    expect((await (await cols()).submissions.findById(s._id))!.pendingEffects).toEqual([]);
  });

  it('records a transition and a submission once, however often their stored effects run again (replay after a crash)', async () => {
    const c = await newCase();
    const s = await submitForm(ps, c._id, 'zgloszenie', { data: { dataZgloszenia: '2026-11-01T00:00:00.000Z', zrodloZgloszenia: 'samozgloszenie', opisSytuacji: 'Rodzina potrzebuje wsparcia kilku instytucji.', przeslanki: { p1: true, p2: false, p3: false, p4: false, p5: false } } });
    const moved = await sendEvent(ps, c._id, { type: 'PRZYJMIJ', revision: (await getCaseDocOrThrow(c._id)).revision });
    const { cases, submissions, timeline, tasks } = await cols();
    const audit = (await getStore()).collection<TAuditEvent>('auditEvents');
    // Put back what the first run removed, as if the process had died before removing it.
    const [transitionRecord] = (await audit.find({ action: 'case.event', 'target.id': c._id })).map((a) => (a.after as { effectId: string }).effectId);
    await cases.updateById(moved._id, moved.revision, { $push: { pendingEffects: { id: transitionRecord, type: 'recordTransition', params: { event: 'PRZYJMIJ', label: 'Przyjmij', at: new Date(), actor: { userId: ps.userId }, closed: false, before: {}, after: {} }, actorUserId: ps.userId } } });
    const sub = (await submissions.findById(s._id))!;
    await submissions.updateById(sub._id, sub.revision, { $set: { pendingEffects: [{ ...submissionEffect('recordSubmission', ps.userId), params: { text: 'x', actor: { userId: ps.userId } } }] } });
    await retryPendingEffects();
    expect(await timeline.count({ caseId: c._id, kind: 'event' })).toBe(1);
    expect(await audit.count({ action: 'case.event', 'target.id': c._id })).toBe(1);
    expect(await timeline.count({ caseId: c._id, kind: 'submission', 'data.submissionId': s._id })).toBe(1);
    expect(await audit.count({ action: 'case.form.submit', 'target.id': s._id })).toBe(1);
    expect(await tasks.count({ caseId: c._id, title: 'Zbierz zgodę osoby/rodziny' })).toBe(1);
    expect((await getCaseDocOrThrow(c._id)).pendingEffects).toEqual([]);
  });

  it('never drops a team change silently: each of 20 racing changes is applied or answers a conflict', async () => {
    const c = await newCase();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        changeTeam(c._id, (team) => [...team, { id: `racer-${i}`, type: 'institution', institutionId: ops._id, role: 'czlonek', joinedAt: new Date() }], ps.userId, `racer ${i}`),
      ),
    );
    const team = (await getCaseDocOrThrow(c._id)).team.map((t) => t.id);
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') expect(team).toContain(`racer-${i}`);
      else expect(r.reason).toMatchObject({ code: 'conflict', message: expect.stringContaining('ponowiona') });
    });
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
  });
});
