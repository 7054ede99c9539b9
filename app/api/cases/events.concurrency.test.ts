/**
 * Twenty people press the same button at once: 20 concurrent `POST /api/cases/{id}/events` of one event on
 * one case revision, through the real route handler, session cookie and embedded store. Exactly one is
 * applied; the other 19 answer 409 with a clear message; the case moved once, with one timeline line and
 * one audit record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from 'next-auth/jwt';
import { openTempDataDir } from '@/lib/testing/temp-app';
import { getStore } from '@/lib/store';
import { bootPacks } from '@/lib/packs/boot';
import { readDemoFiles, seedDemoData } from '@/lib/demo/seed';
import { authSecret } from '@/lib/auth/secret';
import { loadPrincipal } from '@/lib/auth/principal';
import { createCase } from '@/lib/cases/create-case';
import { submitForm } from '@/lib/cases/submissions';
import { cols, getCaseDocOrThrow } from '@/lib/cases/context';
import type { TAuditEvent } from '@/lib/audit/audit';
import type { TInstitution, TOrgUnit, TUser } from '@/lib/orgs/types';
import { POST } from './[id]/events/route';

const SENDERS = 20;
let cleanup: () => Promise<void>;
let cookie: string;
let caseId: string;

beforeAll(async () => {
  cleanup = openTempDataDir();
  await bootPacks();
  await seedDemoData(readDemoFiles().filter((d) => d.packId === 'sample'));
  const store = await getStore();
  const user = (await store.collection<TUser>('users').findOne({ email: 'ps@sample.kooperacja.test' }))!;
  const principal = (await loadPrincipal(user._id))!;
  const gmina = (await store.collection<TOrgUnit>('orgUnits').findOne({ code: 'gmina-zielona' }))!;
  const ops = (await store.collection<TInstitution>('institutions').findOne({ code: 'ops-zielona' }))!;
  const c = await createCase(principal, { orgUnitId: gmina._id, institutionId: ops._id, subject: { type: 'family', name: 'Rodzina Współbieżna', members: [{ firstName: 'Jan', lastName: 'Współbieżny' }] } });
  caseId = c._id;
  await submitForm(principal, caseId, 'zgloszenie', {
    data: { dataZgloszenia: '2026-11-01T00:00:00.000Z', zrodloZgloszenia: 'samozgloszenie', opisSytuacji: 'Rodzina potrzebuje wsparcia kilku instytucji.', przeslanki: { p1: true, p2: false, p3: false, p4: false, p5: false } },
  });
  cookie = `next-auth.session-token=${await encode({ token: { uid: user._id, sub: user._id }, secret: authSecret() })}`;
});
afterAll(async () => cleanup());

describe('concurrent events on one case', () => {
  it(`applies exactly one of ${SENDERS} simultaneous sends; the rest answer 409; one timeline line, one audit record`, async () => {
    const before = await getCaseDocOrThrow(caseId);
    const send = () =>
      POST(
        new Request(`http://localhost:3000/api/cases/${caseId}/events`, {
          method: 'POST',
          headers: { origin: 'http://localhost:3000', cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'PRZYJMIJ', revision: before.revision }),
        }),
        { params: Promise.resolve({ id: caseId }) },
      );
    const responses = await Promise.all(Array.from({ length: SENDERS }, send));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(SENDERS - 1).fill(409)]);
    const refusals = await Promise.all(responses.filter((r) => r.status === 409).map((r) => r.json() as Promise<{ code: string; detail: string }>));
    expect(refusals.every((p) => p.code === 'conflict' && /odśwież/.test(p.detail))).toBe(true);

    const after = await getCaseDocOrThrow(caseId);
    expect(after.state.value).toBe('ocena');
    expect(after.pendingEffects).toEqual([]);
    const { timeline } = await cols();
    expect(await timeline.count({ caseId, kind: 'event', 'data.event': 'PRZYJMIJ' })).toBe(1);
    const audit = (await getStore()).collection<TAuditEvent>('auditEvents');
    expect(await audit.count({ action: 'case.event', 'target.id': caseId })).toBe(1);
    // The effects ran once too: one task from the transition, not twenty.
    expect(await (await cols()).tasks.count({ caseId, title: 'Zbierz zgodę osoby/rodziny' })).toBe(1);
  });
});
