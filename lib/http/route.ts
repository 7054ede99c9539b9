import 'server-only';
import { z, ZodError, type ZodType } from 'zod';
import { AppError, isAppError, toProblem, type TFieldError } from '@/lib/errors';
import { logger } from '@/lib/log';
import { newId } from '@/lib/ids';
import type { TPermission } from '@/lib/packs/permissions';
import { authorize, effectivePermissions, type TPrincipal, type TResource } from '@/lib/policy/policy';
import { principalFromRequest } from '@/lib/auth/session';
import { JSON_BODY_MAX_BYTES, JSON_MAX_DEPTH, readJsonBody } from './body';
import { assertSameOrigin } from './origin';

/**
 * The one route wrapper. Every `app/api/**\/route.ts` exports handlers made with `route()`:
 * request id → same-origin check of state-changing methods (CSRF) → input parsing (bounded body, zod)
 * → access check → handler → JSON response, and the one error mapper (AppError → application/problem+json;
 * anything else → 500 without internals, logged once here).
 */

type TRawParams = Record<string, string | string[] | undefined>;
type TNextContext = { params: Promise<TRawParams> };

export interface TRouteContext<P, Q, B> {
  req: Request;
  params: P;
  query: Q;
  body: B;
  requestId: string;
  /** The signed-in principal; always set unless the route is `public`. */
  principal: TPrincipal;
}

/**
 * Who may call the route — required, so a route without an access rule cannot exist:
 * - `public`: anyone (health, sign-in);
 * - `signed-in`: any signed-in user (the handler scopes what it returns);
 * - `{ permission }`: signed in and holding the permission somewhere (list routes filter by scope);
 * - `{ permission, resource }`: the policy module decides on that resource (403, or 404 across tenants).
 */
export type TAccess<P = unknown, Q = unknown, B = unknown> =
  | 'public'
  | 'signed-in'
  | { permission: TPermission; resource?: (ctx: TRouteContext<P, Q, B>) => Promise<TResource> };

export interface TRouteSpec<P, Q, B, R> {
  /** One line for the OpenAPI document (English, like the rest of the API description). */
  summary: string;
  tags?: string[];
  access: TAccess<P, Q, B>;
  /** Schema of a successful JSON response, for the OpenAPI document. */
  response?: ZodType<R>;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** HTTP status of a successful JSON response (default 200). */
  status?: number;
  /** Size limit of the JSON body in bytes (default JSON_BODY_MAX_BYTES; 413 above it). Uploads read their own body. */
  maxBodyBytes?: number;
  handler: (ctx: TRouteContext<P, Q, B>) => Promise<R | Response>;
}

export const REQUEST_ID_HEADER = 'x-request-id';

export type TRouteHandler = ((req: Request, nextCtx?: TNextContext) => Promise<Response>) & { spec: TRouteSpec<never, never, never, unknown> };

export function route<P = undefined, Q = undefined, B = undefined, R = unknown>(spec: TRouteSpec<P, Q, B, R>): TRouteHandler {
  const handle = async function handle(req: Request, nextCtx?: TNextContext): Promise<Response> {
    const requestId = sanitizeRequestId(req.headers.get(REQUEST_ID_HEADER)) ?? newId();
    const started = performance.now();
    try {
      assertSameOrigin(req);
      const params = parseInput(spec.params, nextCtx ? await nextCtx.params : {}, 'params');
      const query = parseInput(spec.query, Object.fromEntries(new URL(req.url).searchParams), 'query');
      const principal = spec.access === 'public' ? null : await principalFromRequest(req);
      if (spec.access !== 'public' && !principal) throw new AppError('unauthenticated', 'Zaloguj się, aby kontynuować.');
      const raw = spec.body ? await readJsonBody(req, { maxBytes: spec.maxBodyBytes ?? JSON_BODY_MAX_BYTES, maxDepth: JSON_MAX_DEPTH }) : undefined;
      const body = (spec.body ? parseInput(spec.body, raw, 'body') : undefined) as B;
      const ctx: TRouteContext<P, Q, B> = { req, params: params as P, query: query as Q, body, requestId, principal: principal as TPrincipal };
      await checkAccess(spec.access, ctx);
      const result = await spec.handler(ctx);
      const res = result instanceof Response ? result : json(result, spec.status ?? 200);
      res.headers.set(REQUEST_ID_HEADER, requestId);
      return res;
    } catch (err) {
      return problemResponse(err, req, requestId, performance.now() - started);
    }
  };
  return Object.assign(handle, { spec: spec as unknown as TRouteSpec<never, never, never, unknown> });
}

async function checkAccess<P, Q, B>(access: TAccess<P, Q, B>, ctx: TRouteContext<P, Q, B>): Promise<void> {
  if (access === 'public' || access === 'signed-in') return;
  if (!access.resource) {
    if (!effectivePermissions(ctx.principal).includes(access.permission)) throw new AppError('forbidden', 'Nie masz uprawnień do tej operacji.');
    return;
  }
  authorize(ctx.principal, access.permission, await access.resource(ctx));
}

export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

function parseInput<T>(schema: ZodType<T> | undefined, raw: unknown, where: 'params' | 'query' | 'body'): T | undefined {
  if (!schema) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw zodToAppError(parsed.error, where);
  return parsed.data;
}

export function zodToAppError(error: ZodError, where?: string): AppError {
  const details: TFieldError[] = error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
  return new AppError('validation', 'Dane wejściowe są niepoprawne.', { details });
}

function problemResponse(err: unknown, req: Request, requestId: string, ms: number): Response {
  const appErr = isAppError(err) ? err : err instanceof ZodError ? zodToAppError(err) : undefined;
  const log = logger().child({ requestId, method: req.method, path: new URL(req.url).pathname, ms: Math.round(ms) });
  if (appErr) {
    log[appErr.status >= 500 ? 'error' : 'info']({ code: appErr.code, status: appErr.status }, 'request failed');
  } else {
    log.error({ err }, 'unhandled error');
  }
  const problem = toProblem(appErr ?? new AppError('internal', 'Wystąpił nieoczekiwany błąd serwera. Spróbuj ponownie później.'), requestId, new URL(req.url).pathname);
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store', [REQUEST_ID_HEADER]: requestId },
  });
}

function sanitizeRequestId(v: string | null): string | undefined {
  return v && /^[A-Za-z0-9._-]{1,100}$/.test(v) ? v : undefined;
}

/** Shared schema helpers for route params. */
export const ZId = z.string().min(1).max(100);
