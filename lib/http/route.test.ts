import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { setTestEnv } from '@/lib/testing/temp-app';
import { route } from './route';
import { JSON_BODY_MAX_BYTES, JSON_MAX_DEPTH, jsonDepthExceeds } from './body';

setTestEnv({ LOG_LEVEL: 'silent', NEXTAUTH_URL: 'https://kooperacja.example' });

const echo = route({ summary: 'test', access: 'public', body: z.object({ v: z.unknown() }), handler: async ({ body }) => ({ got: body.v }) });
const boom = route({ summary: 'test', access: 'public', handler: async () => { throw new Error('secret internals at /srv/app/lib/x.ts:12'); } });

function post(headers: Record<string, string>, body = '{"v":1}'): Request {
  return new Request('http://10.0.0.5:3000/api/x', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

describe('route(): same-origin check of state-changing requests', () => {
  it.each([
    ['our public origin', { origin: 'https://kooperacja.example' }, 200],
    ['the host the request came to', { origin: 'http://10.0.0.5:3000' }, 200],
    ['Sec-Fetch-Site same-origin', { 'sec-fetch-site': 'same-origin' }, 200],
    ['another origin', { origin: 'https://evil.example' }, 403],
    ['an opaque origin', { origin: 'null' }, 403],
    ['a cross-site fetch with a forged Origin', { 'sec-fetch-site': 'cross-site', origin: 'https://kooperacja.example' }, 403],
    ['a same-site (sibling subdomain) fetch', { 'sec-fetch-site': 'same-site' }, 403],
    ['neither header', {}, 403],
  ])('%s → %i', async (_, headers, status) => {
    const res = await echo(post(headers));
    expect(res.status).toBe(status);
    if (status === 403) expect(((await res.json()) as { detail: string }).detail).toMatch(/stron[yę] aplikacji/);
  });

  it('lets safe methods through without either header', async () => {
    const get = route({ summary: 'test', access: 'public', handler: async () => ({ ok: true }) });
    expect((await get(new Request('http://10.0.0.5:3000/api/x'))).status).toBe(200);
  });
});

describe('route(): bounded bodies', () => {
  const same = { origin: 'https://kooperacja.example' };
  it('refuses a body over the limit by its declared length, before reading it', async () => {
    const res = await echo(new Request('http://10.0.0.5:3000/api/x', { method: 'POST', headers: { ...same, 'content-type': 'application/json', 'content-length': String(JSON_BODY_MAX_BYTES + 1) }, body: '{"v":1}' }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'too_large', limitBytes: JSON_BODY_MAX_BYTES });
  });

  it('refuses nesting past the depth limit, __proto__ keys, invalid JSON and invalid UTF-8 with 400', async () => {
    for (const body of [`{"v":${'['.repeat(JSON_MAX_DEPTH)}${']'.repeat(JSON_MAX_DEPTH)}}`, '{"v":{"__proto__":{"x":1}}}', '{"v":{"constructor":{"prototype":{"x":1}}}}', '{"v":']) {
      const res = await echo(post(same, body));
      expect(res.status, body.slice(0, 40)).toBe(400);
    }
    const bad = new Request('http://10.0.0.5:3000/api/x', { method: 'POST', headers: { ...same, 'content-type': 'application/json' }, body: new Uint8Array([0x7b, 0x22, 0x76, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) });
    expect((await echo(bad)).status).toBe(400);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('accepts nesting up to the limit, and brackets inside strings do not count', async () => {
    const d = JSON_MAX_DEPTH - 1;
    expect((await echo(post(same, `{"v":${'['.repeat(d)}${']'.repeat(d)}}`))).status).toBe(200);
    expect((await echo(post(same, `{"v":"${'[{'.repeat(5000)}\\"${'['.repeat(100)}"}`))).status).toBe(200);
    expect(jsonDepthExceeds('{"a":"\\\\"}', 1)).toBe(false);
  });
});

describe('route(): errors', () => {
  it('answers an unexpected failure with a plain 500 problem: no message, stack or path of the internals', async () => {
    const res = await boom(new Request('http://10.0.0.5:3000/api/x'));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/secret|internals|\.ts|\n\s+at /);
    expect(JSON.parse(text)).toMatchObject({ code: 'internal', detail: expect.any(String) });
  });
});
