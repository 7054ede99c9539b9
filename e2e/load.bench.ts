/**
 * `npm run bench -- load`: HTTP load on the production build. `next start` on a loopback port (the e2e
 * harness, fresh data directory with the demo regions), demo users of every region signed in through
 * next-auth's credentials flow, then a mixed, bounded workload with autocannon — one autocannon
 * instance per route, all running at once, their connections split by the weights below — at 50 and at
 * 200 concurrent users. Per route: requests, req/s, p50/p95/p99 latency and errors (socket errors,
 * timeouts and non-2xx answers). Writes are on cases of their own per connection (no 409 by design).
 *
 * Opt-in (not in a plain `npm run bench`): it needs `next build` (reused when E2E_SKIP_BUILD=1) and
 * takes a minute or two.
 */
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type { TBenchTable } from '@/scripts/bench';
import { prepareApp, startApp, type TAppServer } from './app-server';

const PASSWORD = 'Kooperacja-demo-2026';
/** One user per region who reads cases and the catalogue; the sample region's social workers also write. */
const READERS = ['ps@sample.kooperacja.test', 'pracownik-socjalny@miejski-3d.kooperacja.test', 'pracownik-socjalny@miejsko-wiejski.kooperacja.test', 'rops@wiejski.kooperacja.test'];
const WRITERS = ['ps@sample.kooperacja.test', 'ps.lipowa@sample.kooperacja.test'];
const LEVELS = [50, 200];
/** Requests per connection: the workload is bounded by count, not by time. */
const REQUESTS_PER_CONNECTION = 6;
const CASE_PAGE_P95_TARGET_MS = 300;

type TRouteKey = 'case list' | 'case page' | 'form page' | 'submit form' | 'send event' | 'catalogue search';
const MIX: Record<TRouteKey, number> = { 'case list': 0.2, 'case page': 0.3, 'form page': 0.15, 'submit form': 0.1, 'send event': 0.1, 'catalogue search': 0.15 };

interface TSession {
  email: string;
  cookie: string;
}
interface TReader extends TSession {
  caseId: string | null;
}
interface TOwnCase {
  session: TSession;
  caseId: string;
  revision: number;
}

function cookieHeader(setCookies: string[]): string {
  return setCookies.map((c) => c.split(';')[0]).join('; ');
}

export async function signIn(baseUrl: string, email: string): Promise<TSession> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(csrf.headers.getSetCookie()) },
    body: new URLSearchParams({ csrfToken, email, password: PASSWORD, json: 'true' }),
  });
  const session = res.headers.getSetCookie().filter((c) => c.startsWith('next-auth.session-token='));
  if (session.length === 0) throw new Error(`load: sign-in of ${email} failed (HTTP ${res.status})`);
  return { email, cookie: cookieHeader(session) };
}

export async function api<T>(baseUrl: string, s: TSession, method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${p}`, { method, headers: { cookie: s.cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`load setup: ${method} ${p} as ${s.email}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A case of its own for one writing connection (sample flow, `zgloszenie` state). */
export async function openCase(baseUrl: string, s: TSession, n: number): Promise<TOwnCase> {
  const me = await api<{ memberships: Array<{ institutionId: string; scope: { gminaId?: string } }> }>(baseUrl, s, 'GET', '/api/me');
  const m = me.memberships.find((x) => x.scope.gminaId)!;
  const c = await api<{ _id: string; revision: number }>(baseUrl, s, 'POST', '/api/cases', {
    orgUnitId: m.scope.gminaId,
    institutionId: m.institutionId,
    subject: { type: 'family', name: `Rodzina Obciążeniowa ${n}`, members: [] },
  });
  return { session: s, caseId: c._id, revision: c.revision };
}

const INTAKE = { dataZgloszenia: '2026-11-01T00:00:00.000Z', zrodloZgloszenia: 'samozgloszenie', opisSytuacji: 'Test obciążeniowy.', przeslanki: { p1: true, p2: false, p3: false, p4: false, p5: false } };

type TRequest = autocannon.Request;
type TConnCtx = Record<string, unknown>;

/** The autocannon requests of one route; `pick(ctx)` gives each connection its user/case once. */
function routeRequests(route: TRouteKey, readers: TReader[], own: TOwnCase[]): TRequest[] {
  let next = 0;
  const readerFor = (ctx: TConnCtx): TReader => (ctx.reader ??= readers[next++ % readers.length]) as TReader;
  const ownFor = (ctx: TConnCtx): TOwnCase => (ctx.own ??= own[next++ % own.length]) as TOwnCase;
  const get = (p: (ctx: TConnCtx) => { path: string; cookie: string }): TRequest[] => [
    {
      method: 'GET',
      setupRequest: (req, ctx) => {
        const r = p(ctx as TConnCtx);
        return { ...req, path: r.path, headers: { ...req.headers, cookie: r.cookie } };
      },
    },
  ];
  switch (route) {
    case 'case list':
      return get((ctx) => ({ path: '/sprawy', cookie: readerFor(ctx).cookie }));
    case 'case page':
      return get((ctx) => {
        const r = readerFor(ctx);
        return { path: `/sprawy/${r.caseId}`, cookie: r.cookie };
      });
    case 'form page':
      return get((ctx) => {
        const o = ownFor(ctx);
        return { path: `/sprawy/${o.caseId}/formularze/zgloszenie`, cookie: o.session.cookie };
      });
    case 'catalogue search':
      return get((ctx) => ({ path: `/api/catalogue?q=${encodeURIComponent(['pomoc', 'wsparcie', 'rodzina', 'poradnia'][next++ % 4])}`, cookie: readerFor(ctx).cookie }));
    case 'submit form':
      return [
        {
          method: 'POST',
          setupRequest: (req, ctx) => {
            const o = ownFor(ctx as TConnCtx);
            return { ...req, path: `/api/cases/${o.caseId}/forms/zgloszenie/submissions`, headers: { ...req.headers, cookie: o.session.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ data: INTAKE }) };
          },
        },
      ];
    case 'send event':
      // A root-level event of the sample flow, allowed in every state; each connection on its own case.
      return [
        {
          method: 'POST',
          setupRequest: (req, ctx) => {
            const o = ownFor(ctx as TConnCtx);
            return { ...req, path: `/api/cases/${o.caseId}/events`, headers: { ...req.headers, cookie: o.session.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'DODAJ_CZLONKA', revision: o.revision }) };
          },
          onResponse: (status, body, ctx) => {
            if (status === 200) (ctx as TConnCtx & { own: TOwnCase }).own.revision = (JSON.parse(body) as { revision: number }).revision;
          },
        },
      ];
  }
}

interface TRouteResult {
  latencies: number[];
  /** Socket errors, timeouts and non-2xx answers. */
  errors: number;
  seconds: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** One autocannon instance; latencies are collected per response (autocannon's own table has no p95). */
function runInstance(baseUrl: string, connections: number, requests: TRequest[]): Promise<TRouteResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let non2xx = 0;
    const instance = autocannon({ url: baseUrl, connections, amount: connections * REQUESTS_PER_CONNECTION, timeout: 30, requests }, (err, result) => {
      if (err) return reject(err);
      resolve({ latencies: latencies.sort((a, b) => a - b), errors: non2xx + result.errors + result.timeouts, seconds: result.duration });
    });
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      if (status < 200 || status >= 300) non2xx += 1;
    });
  });
}

async function runLevel(baseUrl: string, users: number, readers: TReader[], writers: TSession[], caseSeq: { n: number }): Promise<TBenchTable> {
  const split = Object.entries(MIX).map(([route, w]) => [route as TRouteKey, Math.max(1, Math.round(users * w))] as const);
  // Every writing connection gets a case of its own (submit and event connections, and the form page).
  const needOwn = split.filter(([r]) => r === 'send event' || r === 'submit form' || r === 'form page').reduce((a, [, c]) => a + c, 0);
  const own: TOwnCase[] = [];
  for (let i = 0; i < needOwn; i++) own.push(await openCase(baseUrl, writers[i % writers.length], caseSeq.n++));
  const load = os.loadavg()[0];
  const started = performance.now();
  const results = await Promise.all(split.map(([route, c]) => runInstance(baseUrl, c, routeRequests(route, readers, route === 'send event' ? own.slice(0, c) : own)).then((r) => [route, c, r] as const)));
  const seconds = (performance.now() - started) / 1000;
  const rows = results.map(([route, c, r]) => {
    const p95 = Math.round(percentile(r.latencies, 95));
    const row: Record<string, string | number> = {
      route,
      users: c,
      requests: r.latencies.length,
      'req/s': Math.round((r.latencies.length / r.seconds) * 10) / 10,
      'p50 ms': Math.round(percentile(r.latencies, 50)),
      'p95 ms': p95,
      'p99 ms': Math.round(percentile(r.latencies, 99)),
      errors: r.errors,
      target: '',
    };
    const targets: string[] = [];
    if (route === 'case page') targets.push(`p95 < ${CASE_PAGE_P95_TARGET_MS} ms ${p95 < CASE_PAGE_P95_TARGET_MS ? 'met' : 'MISSED'}`);
    if (users === 200) targets.push(`0 errors ${r.errors === 0 ? 'met' : 'MISSED'}`);
    row.target = targets.join('; ');
    return row;
  });
  const total = results.reduce((a, [, , r]) => a + r.latencies.length, 0);
  return {
    title: `HTTP load: ${users} concurrent users, mixed workload (${REQUESTS_PER_CONNECTION} requests per connection)`,
    columns: ['route', 'users', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'target'],
    rows,
    notes: [`${total} requests in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(1)} req/s overall); load average at start ${load.toFixed(2)} on ${os.cpus().length} cores.`],
  };
}

export default async function runLoadBench(): Promise<TBenchTable[]> {
  const rootDir = path.resolve(__dirname, '..');
  prepareApp(rootDir);
  const server: TAppServer = await startApp(rootDir, path.join(rootDir, 'test-results'), { env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' } });
  try {
    const readers: TReader[] = [];
    for (const email of READERS) {
      const s = await signIn(server.baseUrl, email);
      const list = await api<{ items: Array<{ _id: string }> }>(server.baseUrl, s, 'GET', '/api/cases?status=all');
      readers.push({ ...s, caseId: list.items[0]?._id ?? null });
    }
    const writers = await Promise.all(WRITERS.map((e) => signIn(server.baseUrl, e)));
    // A reader whose region shows it no case reads a case of the sample region instead.
    const fallback = await openCase(server.baseUrl, writers[0], 0);
    for (const r of readers) if (!r.caseId) Object.assign(r, { caseId: fallback.caseId, cookie: writers[0].cookie });
    const caseSeq = { n: 1 };
    const tables: TBenchTable[] = [];
    for (const users of LEVELS) tables.push(await runLevel(server.baseUrl, users, readers, writers, caseSeq));
    tables[tables.length - 1].notes?.push(`Signed in: ${[...new Set([...READERS, ...WRITERS])].join(', ')}. Server log: ${path.relative(rootDir, server.logFile)}.`);
    return tables;
  } finally {
    await server.stop();
  }
}
