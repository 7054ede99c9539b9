import 'server-only';
import { z } from 'zod';
import { AppError, isAppError } from '@/lib/errors';
import { env } from '@/lib/env';
import type { TJobContext } from './types';

/**
 * The one job registry: a job is a stable name, a zod schema for its payload and a handler.
 * Handlers must be idempotent: an attempt may be repeated after a crash, a lost lease or a retry.
 * Payloads travel as JSON, so schemas describe JSON (dates as ISO strings, e.g. `z.iso.datetime()`).
 */
export interface TJobBackoff {
  type: 'exponential' | 'fixed';
  /** Base delay: `fixed` waits this long, `exponential` waits delayMs × 2^(attempt − 1). */
  delayMs: number;
}

export interface TJobDefinition<S extends z.ZodType = z.ZodType> {
  /** Stable machine name, `domain.verb-thing` (e.g. `cases.deadline-fired`). */
  name: string;
  schema: S;
  handler: (payload: z.output<S>, ctx: TJobContext) => Promise<void>;
  /** Total runs including the first. Default 3. */
  attempts?: number;
  backoff?: TJobBackoff;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF: TJobBackoff = { type: 'exponential', delayMs: 5_000 };

const ZJobName = z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, 'job names look like `domain.verb-thing`');

export function defineJob<S extends z.ZodType>(def: TJobDefinition<S>): TJobDefinition<S> {
  ZJobName.parse(def.name);
  if (def.attempts !== undefined && (!Number.isInteger(def.attempts) || def.attempts < 1)) {
    throw new Error(`Job ${def.name}: attempts must be a positive integer`);
  }
  return def;
}

/** Exercises the machinery end to end (health checks, deadline smoke tests); does nothing else. */
export const ZNoopPayload = z.object({ note: z.string().max(200).optional() });
export const noopJob = defineJob({
  name: 'system.noop',
  schema: ZNoopPayload,
  attempts: 1,
  async handler(_payload, ctx) {
    await ctx.progress(100);
  },
});

/** The engine's own jobs. Domain jobs (one file per job under lib/<domain>/jobs/) go into APP_JOBS in lib/app-jobs.ts. */
export const JOBS: readonly TJobDefinition[] = [noopJob as unknown as TJobDefinition];

const JOBS_BY_NAME = new Map(JOBS.map((j) => [j.name, j]));
if (JOBS_BY_NAME.size !== JOBS.length) throw new Error('Duplicate job name in JOBS');

// Test-only definitions live on globalThis so that two module instances (Next bundles, vitest) agree.
const TEST_KEY = Symbol.for('kooperacja.jobs.testDefinitions');
type G = typeof globalThis & { [TEST_KEY]?: Map<string, TJobDefinition> };
function testDefinitions(): Map<string, TJobDefinition> {
  const g = globalThis as G;
  return (g[TEST_KEY] ??= new Map());
}

/**
 * Registers a job that exists only in tests (e.g. one that fails twice, or counts its runs).
 * Refused outside tests so that production code cannot grow a second registry. Returns an unregister.
 */
export function registerJobForTests<S extends z.ZodType>(def: TJobDefinition<S>): () => void {
  if (env().NODE_ENV !== 'test' && !env().ENABLE_TEST_API) {
    throw new Error('registerJobForTests is only available when NODE_ENV=test or ENABLE_TEST_API=true');
  }
  defineJob(def);
  if (JOBS_BY_NAME.has(def.name)) throw new Error(`Job ${def.name} is already defined in JOBS`);
  testDefinitions().set(def.name, def as unknown as TJobDefinition);
  return () => void testDefinitions().delete(def.name);
}

// Domain jobs (cases, notifications, catalogue…) are installed at start from lib/app-jobs.ts, so that
// this module never imports domain code (which itself enqueues jobs: that would be an import cycle).
const INSTALLED_KEY = Symbol.for('kooperacja.jobs.installed');
type GI = typeof globalThis & { [INSTALLED_KEY]?: Map<string, TJobDefinition> };
function installed(): Map<string, TJobDefinition> {
  const g = globalThis as GI;
  return (g[INSTALLED_KEY] ??= new Map());
}

/** Installs the application's domain jobs (called once at start by boot and the worker). */
export function installJobs(defs: readonly TJobDefinition[]): void {
  for (const def of defs) {
    defineJob(def);
    if (JOBS_BY_NAME.has(def.name)) throw new Error(`Job ${def.name} is already defined in JOBS`);
    installed().set(def.name, def);
  }
}

export function findJobDefinition(name: string): TJobDefinition | undefined {
  return JOBS_BY_NAME.get(name) ?? installed().get(name) ?? testDefinitions().get(name);
}

export function getJobDefinitionOrThrow(name: string): TJobDefinition {
  const def = findJobDefinition(name);
  if (!def) throw new AppError('validation', `Unknown job: ${name}`, { details: [{ path: 'name', message: 'unknown job' }] });
  return def;
}

/**
 * Parses a payload the way it will reach the handler: through JSON (both engines store JSON), then the schema.
 * Throws AppError('validation') naming the offending paths.
 */
export function parseJobPayload(def: TJobDefinition, payload: unknown): unknown {
  let json: unknown;
  try {
    json = payload === undefined ? undefined : JSON.parse(JSON.stringify(payload));
  } catch (cause) {
    throw new AppError('validation', `Payload of ${def.name} is not JSON-serialisable`, { cause });
  }
  const parsed = def.schema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('validation', `Invalid payload for job ${def.name}`, {
      details: parsed.error.issues.map((i) => ({ path: ['payload', ...i.path].join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

/** The JSON form that engines store (validated first). */
export function toStoredPayload(def: TJobDefinition, payload: unknown): unknown {
  parseJobPayload(def, payload);
  return payload === undefined ? {} : JSON.parse(JSON.stringify(payload));
}

export function backoffDelayMs(backoff: TJobBackoff, attempt: number): number {
  return backoff.type === 'fixed' ? backoff.delayMs : backoff.delayMs * 2 ** Math.max(0, attempt - 1);
}

/** Errors that another attempt cannot fix; engines fail the job at once instead of retrying. */
const PERMANENT_CODES = new Set(['validation', 'bad_request', 'forbidden', 'not_found', 'gone']);
export function isPermanentJobError(e: unknown): boolean {
  return isAppError(e) && PERMANENT_CODES.has(e.code);
}

const ZJobId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only')
  .refine((s) => !/^\d+$/.test(s), 'must not be a bare integer');

export function assertValidJobId(jobId: string): void {
  const r = ZJobId.safeParse(jobId);
  if (!r.success) throw new AppError('validation', `Invalid job id: ${r.error.issues[0]?.message}`, { details: [{ path: 'jobId', message: r.error.issues[0]?.message ?? 'invalid' }] });
}
