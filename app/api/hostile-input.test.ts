/**
 * Hostile input, property-based (fast-check, fixed seed and bounded runs): every API route and method
 * gets JSON bodies and query strings with MongoDB operators, prototype keys, wrong types and deep
 * nesting, and path parameters that are invalid ids or path traversal. Through the real route handlers,
 * signed in as a social worker of the sample region, with the real embedded store. Expected: never a 5xx;
 * a refusal is a 4xx problem document with a message and no stack trace, and stores nothing; no
 * prototype is polluted. Targeted cases cover the known defects (10,000-deep form data, huge bodies).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encode } from 'next-auth/jwt';
import { openTempDataDir, setTestEnv } from '@/lib/testing/temp-app';
import { getStore } from '@/lib/store';
import { bootPacks } from '@/lib/packs/boot';
import { readDemoFiles, seedDemoData } from '@/lib/demo/seed';
import { authSecret } from '@/lib/auth/secret';
import { HTTP_METHODS } from '@/lib/http/openapi';
import type { TRouteHandler } from '@/lib/http/route';
import { JSON_BODY_MAX_BYTES } from '@/lib/http/body';
import type { TUser } from '@/lib/orgs/types';
import type { TCase, TSubmission } from '@/lib/cases/types';
import type { TCollectionName } from '@/lib/store/collections';
import { API_ROUTES } from './routes';

const ORIGIN = 'http://localhost:3000';
const RUNS_PER_ROUTE = 12;
/** Collections a refused request must leave untouched. */
const WATCHED: TCollectionName[] = ['cases', 'submissions', 'users', 'institutions', 'teams', 'orgUnits', 'files', 'catalogueEntries', 'consents', 'tasks'];

let cleanup: () => Promise<void>;
let cookie = '';
let caseId = '';
let tried = 0;

beforeAll(async () => {
  setTestEnv({ LOG_LEVEL: 'silent' });
  cleanup = openTempDataDir();
  await bootPacks();
  await seedDemoData(readDemoFiles().filter((d) => d.packId === 'sample'));
  const store = await getStore();
  const u = await store.collection<TUser>('users').findOne({ email: 'ps@sample.kooperacja.test' });
  cookie = `next-auth.session-token=${await encode({ token: { uid: u!._id, sub: u!._id }, secret: authSecret() })}`;
  const c = await store.collection<TCase>('cases').findOne({ 'team.userId': u!._id, status: 'active' });
  caseId = c!._id;
}, 60_000);
afterAll(async () => cleanup());

async function fingerprint(): Promise<string> {
  const store = await getStore();
  const counts = await Promise.all(WATCHED.map(async (n) => `${n}:${await store.collection(n).count({})}`));
  return counts.join(' ');
}

function assertUnpolluted(): void {
  const probe: Record<string, unknown> = {};
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(probe.polluted).toBeUndefined();
  expect(probe.isAdmin).toBeUndefined();
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
}

interface TCall {
  method: string;
  path: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A JSON value (serialised here) or raw text. */
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

async function call(handler: TRouteHandler, c: TCall): Promise<{ status: number; text: string; type: string }> {
  tried++;
  const url = new URL(`${ORIGIN}${c.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(c.params?.[k] ?? k))}`);
  for (const [k, v] of Object.entries(c.query ?? {})) url.searchParams.append(k, v);
  const hasBody = c.body !== undefined || c.rawBody !== undefined;
  const req = new Request(url, {
    method: c.method,
    headers: { cookie, origin: ORIGIN, ...(hasBody ? { 'content-type': 'application/json' } : {}), ...c.headers },
    body: hasBody && c.method !== 'GET' ? (c.rawBody ?? JSON.stringify(c.body)) : undefined,
  });
  const res = await handler(req, { params: Promise.resolve(c.params ?? {}) });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

function expectCleanRefusal(r: { status: number; text: string; type: string }): void {
  expect(r.status, r.text.slice(0, 300)).toBeLessThan(500);
  if (r.status < 400) return;
  expect(r.type).toContain('application/problem+json');
  const problem = JSON.parse(r.text) as { detail?: unknown };
  expect(typeof problem.detail === 'string' && problem.detail.length > 0).toBe(true);
  expect(r.text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
}

// ---- arbitraries ----
const OPERATORS = ['$gt', '$gte', '$ne', '$where', '$regex', '$in', '$expr', '$function', '$set'];
const operatorObject = fc.record({ op: fc.constantFrom(...OPERATORS), v: fc.oneof(fc.constant(''), fc.constant('.*'), fc.constant('sleep(1000)'), fc.integer()) }).map(({ op, v }) => ({ [op]: v }));
const protoObject = fc.constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"isAdmin":true}}}', '{"a":{"__proto__":{"polluted":1}}}').map((s) => JSON.parse(s) as unknown);
const hostileString = fc.oneof(
  fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '../../../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '\u0000', '{{constructor.constructor("x")()}}', '${7*7}', "' OR 1=1 --"),
  fc.string({ maxLength: 40 }),
);
const scalar = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, operatorObject, protoObject, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.oneof(fc.constantFrom('data', 'revision', 'type', 'id', 'email', 'status', 'role', '$where', 'name'), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 })),
})).value;
const hostileBody = fc.oneof(hostileValue, fc.dictionary(fc.constantFrom('data', 'revision', 'type', 'changes', 'body', 'email', 'password', 'newPassword', 'institutionId', 'members'), hostileValue, { maxKeys: 4 }));
const hostileQuery = fc.dictionary(fc.oneof(fc.constantFrom('q', 'status', 'page', 'sort', 'filter[$gt]', 'status[$ne]', '__proto__', 'constructor[prototype][x]'), fc.string({ maxLength: 6 })), hostileString, { maxKeys: 4 });
const hostileId = fc.oneof(hostileString, fc.constantFrom('../../package.json', '..\\..\\secret', '%2e%2e%2f', 'a'.repeat(500), '{"$gt":""}', '000000000000000000000000'));

// Test hooks (simulated clock) are refused outside their own tests; sign-in is next-auth's, not ours.
const fuzzed = (
  await Promise.all(
    (Object.keys(API_ROUTES) as Array<keyof typeof API_ROUTES>)
      .filter((p) => !p.startsWith('/api/test/'))
      .map(async (p) => {
        const mod = (await API_ROUTES[p]()) as unknown as Partial<Record<string, TRouteHandler>>;
        return HTTP_METHODS.flatMap((method) => (mod[method] ? [{ path: p as string, method, handler: mod[method]! }] : []));
      }),
  )
).flat();
const FORM_RUNS = 40;
const TARGETED = 1 + 2 + 6 + 1;
const TOTAL = fuzzed.length * RUNS_PER_ROUTE + FORM_RUNS + TARGETED;

/** Bodies shaped like the route's own schema (its top-level keys, some left out) with hostile values, plus shapeless ones. */
function bodyFor(handler: TRouteHandler): fc.Arbitrary<unknown> {
  const shape = (handler.spec.body as { shape?: Record<string, unknown> } | undefined)?.shape;
  if (!shape) return hostileBody;
  const keys = Object.keys(shape);
  return fc.oneof(hostileBody, fc.record(Object.fromEntries(keys.map((k) => [k, hostileValue])), { requiredKeys: [] }));
}

describe(`hostile input: ${TOTAL} requests (${fuzzed.length} route methods × ${RUNS_PER_ROUTE} generated, ${FORM_RUNS} form submissions, ${TARGETED} targeted)`, () => {
  it('never answers 5xx, refuses cleanly, stores nothing when refusing, pollutes no prototype', async () => {
    for (const { path: p, method, handler } of fuzzed) {
      const paramNames = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      await fc.assert(
        fc.asyncProperty(bodyFor(handler), hostileQuery, fc.array(hostileId, { minLength: paramNames.length, maxLength: paramNames.length }), fc.boolean(), async (body, query, ids, realCase) => {
          const params = Object.fromEntries(paramNames.map((n, i) => [n, realCase && n === 'id' && p.startsWith('/api/cases/') ? caseId : ids[i]]));
          const before = await fingerprint();
          const r = await call(handler, { method, path: p, params, query, body: method === 'GET' ? undefined : body });
          expectCleanRefusal(r);
          if (r.status >= 400) expect(await fingerprint()).toBe(before);
          assertUnpolluted();
        }),
        { numRuns: RUNS_PER_ROUTE, seed: 1414, endOnFailure: true },
      );
    }
  }, 120_000);

  it('form data with operators, prototype keys and wrong types is refused field by field and stores nothing', async () => {
    const mod = await import('./cases/[id]/forms/[formKey]/submissions/route');
    await fc.assert(
      fc.asyncProperty(fc.record({ zrodloZgloszenia: hostileValue, przeslanki: hostileValue, dataZgloszenia: fc.oneof(operatorObject, fc.integer(), fc.constant('not-a-date')), opisSytuacji: fc.oneof(operatorObject, fc.array(fc.string())) }), async (data) => {
        const before = await fingerprint();
        const r = await call(mod.POST, { method: 'POST', path: '/api/cases/{id}/forms/{formKey}/submissions', params: { id: caseId, formKey: 'zgloszenie' }, body: { data } });
        expect(r.status, r.text.slice(0, 300)).toBe(400);
        expectCleanRefusal(r);
        expect(await fingerprint()).toBe(before);
        assertUnpolluted();
      }),
      { numRuns: FORM_RUNS, seed: 1414 },
    );
  });

  it('a form submission nested 10,000 deep is a 400 naming the limit, not a 500', async () => {
    const mod = await import('./cases/[id]/forms/[formKey]/submissions/route');
    const rawBody = `{"data":{"opisSytuacji":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}}`;
    const before = await fingerprint();
    const r = await call(mod.POST, { method: 'POST', path: '/api/cases/{id}/forms/{formKey}/submissions', params: { id: caseId, formKey: 'zgloszenie' }, rawBody });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).detail).toMatch(/zagnieżdżony/);
    expect(await fingerprint()).toBe(before);
  });

  it('an oversized body is refused with 413 — by its declared length, and while streaming when none is declared', async () => {
    const mod = await import('./cases/[id]/forms/[formKey]/submissions/route');
    const big = JSON.stringify({ data: { opisSytuacji: 'x'.repeat(JSON_BODY_MAX_BYTES + 1) } });
    const declared = await call(mod.POST, { method: 'POST', path: '/api/cases/{id}/forms/{formKey}/submissions', params: { id: caseId, formKey: 'zgloszenie' }, rawBody: big, headers: { 'content-length': String(big.length) } });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text).detail).toMatch(/za duża/);
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) ctl.enqueue(bytes.slice(i, i + 64 * 1024));
        ctl.close();
      },
    });
    tried++;
    const streamed = await mod.POST(
      new Request(`${ORIGIN}/api/cases/${caseId}/forms/zgloszenie/submissions`, { method: 'POST', headers: { cookie, origin: ORIGIN, 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit),
      { params: Promise.resolve({ id: caseId, formKey: 'zgloszenie' }) },
    );
    expect(streamed.status).toBe(413);
  });

  it('invalid and traversing file ids are a plain 404', async () => {
    const mod = await import('./files/[id]/route');
    for (const id of ['../../package.json', '..%2F..%2Fpackage.json', '/etc/passwd', 'a'.repeat(200), '%00', '{"$gt":""}']) {
      const r = await call(mod.GET, { method: 'GET', path: '/api/files/{id}', params: { id } });
      expect([400, 404]).toContain(r.status);
      expectCleanRefusal(r);
    }
  });

  it('free text with markup is stored as text and only ever answered as JSON', async () => {
    const mod = await import('./cases/[id]/forms/[formKey]/draft/route');
    const payload = '<script>alert(1)</script><img src=x onerror=alert(1)>';
    const r = await call(mod.PUT, { method: 'PUT', path: '/api/cases/{id}/forms/{formKey}/draft', params: { id: caseId, formKey: 'zgloszenie' }, body: { data: { opisSytuacji: payload } } });
    expect(r.status).toBeLessThan(300);
    expect(r.type).toContain('application/json');
    const draft = await (await getStore()).collection<TSubmission>('submissions').findOne({ caseId, status: 'draft' });
    expect(draft?.data.opisSytuacji).toBe(payload);
  });

  it('tried as many inputs as the suite name says', () => {
    expect(tried).toBe(TOTAL);
  });
});
