import { z } from 'zod';
import path from 'node:path';

/**
 * The one place that reads `process.env`. Everything else imports `env()`.
 * Validated once, on first use; a bad value stops the process with a message naming the variable.
 */
const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().positive().default(3000),
  /** Embedded store directory (used when MONGODB_URI is unset). */
  DATA_DIR: z.string().min(1).default('./data'),
  MONGODB_URI: z.string().url().optional(),
  MONGODB_DB: z.string().min(1).default('kooperacja'),
  REDIS_URL: z.string().url().optional(),
  /** Queue-name prefix, so several installs (or test runs) can share one Redis. */
  JOBS_PREFIX: z.string().min(1).default('kooperacja'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How often the deadline sweeper looks for due work, in milliseconds. */
  SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(15_000),
  /** Run the job worker inside the web process (always true for the in-process engine). */
  WORKER_IN_PROCESS: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /** Public base URL of the app (sign-in callbacks). Defaults to http://localhost:$PORT. */
  NEXTAUTH_URL: z.string().url().optional(),
  /** Session signing secret. Unset: a random one is generated once and kept in DATA_DIR (single-node installs). */
  NEXTAUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** OpenID Connect sign-in (Keycloak, Entra ID…): enabled when issuer, client id and secret are all set. */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Button label of the OIDC provider on the sign-in page. */
  OIDC_NAME: z.string().min(1).default('Logowanie instytucjonalne (SSO)'),
  /** SMTP server for e-mail notifications (reminders); unset = in-app notifications only. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default('Kooperacja <no-reply@kooperacja.local>'),
  /** Load the demo regions of configs/<pack>/demo.json at start. Default: yes, except in production. */
  DEMO_DATA: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /** Set by vitest in its workers: logs go through the console it captures (lib/log.ts). */
  VITEST: z
    .string()
    .optional()
    .transform((v) => v !== undefined && v !== '' && v !== 'false'),
  /** Test hooks (simulated clock etc.); never on in production. */
  ENABLE_TEST_API: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export type TEnv = z.infer<typeof ZEnv> & { dataDir: string; NEXTAUTH_URL: string };

let cached: TEnv | undefined;

export function env(): TEnv {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  if (parsed.data.NODE_ENV === 'production' && parsed.data.ENABLE_TEST_API) {
    throw new Error('Invalid environment configuration:\n  ENABLE_TEST_API: must not be true in production');
  }
  const d = parsed.data;
  const oidcParts = [d.OIDC_ISSUER, d.OIDC_CLIENT_ID, d.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidcParts !== 0 && oidcParts !== 3) {
    throw new Error('Invalid environment configuration:\n  OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set all three or none');
  }
  if (d.NODE_ENV === 'production' && d.MONGODB_URI && !d.NEXTAUTH_SECRET) {
    throw new Error('Invalid environment configuration:\n  NEXTAUTH_SECRET: required in production with MongoDB (all web instances must share it)');
  }
  const nextAuthUrl = d.NEXTAUTH_URL ?? `http://localhost:${d.PORT}`;
  // next-auth reads NEXTAUTH_URL itself; give it the validated default so callbacks work out of the box.
  process.env.NEXTAUTH_URL = nextAuthUrl;
  cached = { ...d, NEXTAUTH_URL: nextAuthUrl, dataDir: path.resolve(d.DATA_DIR) };
  return cached;
}

/** For tests that change variables between cases. */
export function resetEnvForTests(): void {
  cached = undefined;
}
