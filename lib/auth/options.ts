import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { env } from '@/lib/env';
import { logger } from '@/lib/log';
import { authSecret } from './secret';
import { isSecureCookies } from './cookies';
import { signInWithPassword, linkOidcIdentity } from './sign-in';

export const OIDC_PROVIDER_ID = 'oidc';
/** Sessions end after a working day; the principal is re-read from the store on every request anyway. */
const SESSION_MAX_AGE_S = 8 * 60 * 60;

const ZCredentials = z.object({ email: z.string().email().max(200), password: z.string().min(1).max(500) });

/** next-auth options, built once: credentials always, OpenID Connect when configured by environment. */
export function authOptions(): NextAuthOptions {
  const e = env();
  const providers: NextAuthOptions['providers'] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'E-mail i hasło',
      credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Hasło', type: 'password' } },
      async authorize(raw, req) {
        const parsed = ZCredentials.safeParse(raw);
        if (!parsed.success) return null;
        const ip = clientAddress(req?.headers);
        // Throwing sends the message to the sign-in page (`?error=`); null means "wrong e-mail or password".
        const user = await signInWithPassword(parsed.data.email, parsed.data.password, ip);
        return user ? { id: user._id, name: user.name, email: user.email } : null;
      },
    }),
  ];
  if (e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET) {
    providers.push({
      id: OIDC_PROVIDER_ID,
      name: e.OIDC_NAME,
      type: 'oauth',
      wellKnown: `${e.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state'],
      profile(profile: { sub: string; email?: string; name?: string; preferred_username?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? profile.preferred_username ?? profile.sub };
      },
    });
  }
  return {
    secret: authSecret(),
    providers,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
    useSecureCookies: isSecureCookies(),
    jwt: { maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: '/logowanie', error: '/logowanie' },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        // Only people who already have an account may sign in through SSO: accounts are created by administrators.
        // Entra ID puts the sign-in e-mail in `preferred_username` when the optional `email` claim is off.
        const p = (profile ?? {}) as { email?: string; preferred_username?: string };
        const email = p.email ?? (p.preferred_username?.includes('@') ? p.preferred_username : undefined) ?? user.email ?? undefined;
        const linked = await linkOidcIdentity(`${e.OIDC_ISSUER}|${account.providerAccountId}`, email);
        if (!linked) return '/logowanie?error=OidcNoAccount';
        user.id = linked._id;
        return true;
      },
      async jwt({ token, user }) {
        if (user) token.uid = user.id;
        return token;
      },
      async session({ session, token }) {
        return { ...session, uid: token.uid };
      },
    },
    logger: {
      error: (code, metadata) => logger().warn({ code, metadata }, 'next-auth error'),
      warn: (code) => logger().warn({ code }, 'next-auth warning'),
      debug: () => {},
    },
  };
}

function clientAddress(headers: Record<string, unknown> | Headers | undefined): string | undefined {
  if (!headers) return undefined;
  const get = (k: string) => (headers instanceof Headers ? headers.get(k) : (headers[k] as string | undefined));
  return get('x-forwarded-for')?.split(',')[0]?.trim() || get('x-real-ip') || undefined;
}
