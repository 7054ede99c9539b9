import 'server-only';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';

/**
 * CSRF defence for state-changing requests (everything but GET/HEAD/OPTIONS): the request must come
 * from our own pages. Browsers say so with `Sec-Fetch-Site: same-origin`; where that header is absent
 * the `Origin` header must name this site (NEXTAUTH_URL, or the host the request was sent to). A request
 * with neither is refused too: every state change here is made by our own pages in a browser, and the
 * session cookie alone (SameSite=Lax) must not be enough. OWASP CSRF cheat sheet, "Fetch Metadata" and
 * "Verifying Origin with standard headers".
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSameOriginRequest(req: Request): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return true;
  const site = req.headers.get('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = req.headers.get('origin');
  if (!origin || origin === 'null') return false;
  return allowedOrigins(req).has(origin.toLowerCase());
}

function allowedOrigins(req: Request): Set<string> {
  const out = new Set<string>([new URL(env().NEXTAUTH_URL).origin.toLowerCase(), new URL(req.url).origin.toLowerCase()]);
  const proto = new URL(req.url).protocol;
  for (const h of ['host', 'x-forwarded-host']) {
    const host = req.headers.get(h)?.split(',')[0]?.trim();
    if (host) out.add(`${proto}//${host}`.toLowerCase());
  }
  return out;
}

export function assertSameOrigin(req: Request): void {
  if (!isSameOriginRequest(req)) {
    throw new AppError('forbidden', 'Żądanie zmieniające dane musi pochodzić ze strony aplikacji (nagłówek Origin lub Sec-Fetch-Site).');
  }
}
