import 'server-only';
import { env } from '@/lib/env';

/**
 * Our cookies are always HttpOnly and SameSite=Lax (next-auth's defaults for its own); they are also
 * `Secure` (next-auth's `__Secure-` prefixed names) in production and whenever the site is served over
 * HTTPS. next-auth's options and the session reader (lib/auth/session.ts) both ask this one function, so
 * they always agree on the cookie name.
 */
export function isSecureCookies(): boolean {
  const e = env();
  return e.NODE_ENV === 'production' || e.NEXTAUTH_URL.startsWith('https://');
}
