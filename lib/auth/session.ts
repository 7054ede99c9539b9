import 'server-only';
import { getToken } from 'next-auth/jwt';
import { cookies, headers } from 'next/headers';
import { authSecret } from './secret';
import { isSecureCookies } from './cookies';
import { loadPrincipal } from './principal';
import type { TPrincipal } from '@/lib/policy/policy';

function parseCookies(header: string | null): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) map.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
  }
  return map;
}

/** The principal behind a request's session cookie (or Bearer token), or null. Works for any `Request`. */
export async function principalFromRequest(req: Request): Promise<TPrincipal | null> {
  const token = await getToken({
    req: { cookies: parseCookies(req.headers.get('cookie')), headers: req.headers } as unknown as Parameters<typeof getToken>[0]['req'],
    secret: authSecret(),
    secureCookie: isSecureCookies(),
  });
  const uid = typeof token?.uid === 'string' ? token.uid : undefined;
  return uid ? loadPrincipal(uid) : null;
}

/** The principal of the current page render (server components and server actions). */
export async function currentPrincipal(): Promise<TPrincipal | null> {
  const [c, h] = await Promise.all([cookies(), headers()]);
  const cookieHeader = c.getAll().map((x) => `${x.name}=${encodeURIComponent(x.value)}`).join('; ');
  return principalFromRequest(new Request('http://internal/', { headers: { cookie: cookieHeader, authorization: h.get('authorization') ?? '' } }));
}
