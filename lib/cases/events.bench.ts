import fs from 'node:fs';
import { encode } from 'next-auth/jwt';
import type { TBenchTable } from '@/scripts/bench';
import { getStore } from '@/lib/store';
import { openTempDataDir } from '@/lib/testing/temp-app';
import { bootPacks } from '@/lib/packs/boot';
import { readDemoFiles, seedDemoData } from '@/lib/demo/seed';
import { authSecret } from '@/lib/auth/secret';
import { loadPrincipal } from '@/lib/auth/principal';
import { getMachine, step, type TFlowFacts } from '@/lib/flows/engine';
import type { TInstitution, TOrgUnit, TUser } from '@/lib/orgs/types';
import { createCase } from './create-case';
import { getCaseDocOrThrow } from './context';

/**
 * Case events per second through the API route (session cookie → principal → policy → guards → one
 * conditional write with the outbox → audit + timeline → effects) against XState's pure `transition()`
 * alone on the same flow, in the same run. The route handler is called in-process (no HTTP transport).
 */
export default async function runCaseEventsBench(): Promise<TBenchTable[]> {
  const cleanup = openTempDataDir('kooperacja-bench-events-');
  await bootPacks();
  await seedDemoData(readDemoFiles().filter((d) => d.packId === 'sample'));
  const store = await getStore();
  const user = (await store.collection<TUser>('users').findOne({ email: 'ps@sample.kooperacja.test' }))!;
  const principal = (await loadPrincipal(user._id))!;
  const gmina = (await store.collection<TOrgUnit>('orgUnits').findOne({ code: 'gmina-zielona' }))!;
  const ops = (await store.collection<TInstitution>('institutions').findOne({ code: 'ops-zielona' }))!;
  const c = await createCase(principal, { orgUnitId: gmina._id, institutionId: ops._id, subject: { type: 'family', name: 'Rodzina Benchmarkowa', members: [] } });
  const cookie = `next-auth.session-token=${await encode({ token: { uid: user._id, sub: user._id }, secret: authSecret() })}`;
  const { POST } = await import('@/app/api/cases/[id]/events/route');

  // Through the API: a root-level event of the sample flow (allowed in every state) sent N times in a row.
  const N = 150;
  let revision = (await getCaseDocOrThrow(c._id)).revision;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const res = await POST(new Request(`http://localhost/api/cases/${c._id}/events`, { method: 'POST', headers: { cookie, origin: 'http://localhost', 'content-type': 'application/json' }, body: JSON.stringify({ type: 'DODAJ_CZLONKA', revision }) }), { params: Promise.resolve({ id: c._id }) });
    if (res.status !== 200) throw new Error(`event ${i}: HTTP ${res.status} ${await res.text()}`);
    revision = ((await res.json()) as { revision: number }).revision;
  }
  const apiMs = performance.now() - t0;

  // transition() alone: the same event on the same machine with the same facts shape.
  const flow = JSON.parse(fs.readFileSync('flows/sample/sprawa.json', 'utf8'));
  const machine = getMachine('bench:sample@sprawa', flow);
  const facts: TFlowFacts = { senderRoles: ['koordynator'], submitted: {}, consentActive: false, teamInstitutionTypes: ['ops'], deadlines: {}, now: new Date().toISOString() };
  const M = 20_000;
  let state = { value: 'zgloszenie' as unknown, context: {} as Record<string, unknown> };
  const t1 = performance.now();
  for (let i = 0; i < M; i++) state = step(machine, state, { type: 'DODAJ_CZLONKA', facts }).state;
  const pureMs = performance.now() - t1;

  await cleanup();
  const apiRate = (N / apiMs) * 1000;
  const pureRate = (M / pureMs) * 1000;
  return [
    {
      title: 'Case events: through the API route vs transition() alone (sample flow, embedded store)',
      columns: ['path', 'events', 'ms', 'events/s', 'API / transition()'],
      rows: [
        { path: 'POST /api/cases/{id}/events', events: N, ms: Math.round(apiMs), 'events/s': apiRate, 'API / transition()': (apiRate / pureRate).toFixed(4) },
        { path: 'transition() alone', events: M, ms: Math.round(pureMs), 'events/s': pureRate, 'API / transition()': '1' },
      ],
      notes: ['The API path adds the session, policy, guard facts (store reads), the conditional write, audit and timeline entries.'],
    },
  ];
}
