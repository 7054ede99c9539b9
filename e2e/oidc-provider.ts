/**
 * A real OpenID Connect provider for the browser suite (the `oidc-provider` package, the certified Node
 * implementation), started on a free loopback port before the app so the app can be configured with it.
 * Its development login page accepts any login; the login is the account id and, when it looks like an
 * e-mail, also the e-mail claim — which is how the platform links an SSO identity to an existing account.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TOidcServer {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop: () => Promise<void>;
}

/**
 * oidc-provider announces its development-only defaults (in-memory adapter, dev keys, dev interactions,
 * Node 20 "unsupported runtime") on the console, at import and on first use. They are expected here;
 * they are dropped unless LOG_LEVEL is set, so a passing run stays quiet.
 */
function quietOidcNotices(): void {
  if (process.env.LOG_LEVEL) return;
  for (const level of ['info', 'warn'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && /oidc-provider (NOTICE|WARNING):/.test(args[0])) return;
      original(...args);
    };
  }
}

export async function startOidcProvider(appUrl: string): Promise<TOidcServer> {
  quietOidcNotices();
  const { default: Provider } = await import('oidc-provider');
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'kooperacja-e2e';
  const clientSecret = 'e2e-oidc-client-secret-not-for-production';
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [`${appUrl}/api/auth/callback/oidc`], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, ...(id.includes('@') ? { email: id, email_verified: true } : {}), name: id }),
    }),
    cookies: { keys: ['e2e-oidc-cookie-key-not-for-production'] },
    // Like Keycloak's defaults: the scope's claims (email, name) are in the ID token itself.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 600, Grant: 600 },
  });
  server.on('request', provider.callback());
  return { issuer, clientId, clientSecret, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
