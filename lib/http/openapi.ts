import 'server-only';
import { z, type ZodType } from 'zod';
import pkg from '@/package.json';
import { ERROR_CODES } from '@/lib/errors';
import type { TRouteHandler } from './route';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type TRouteModule = Partial<Record<(typeof HTTP_METHODS)[number], TRouteHandler>>;

function schemaOf(s: ZodType | undefined): Record<string, unknown> | undefined {
  if (!s) return undefined;
  const json = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

function parametersOf(where: 'path' | 'query', s: ZodType | undefined) {
  const json = schemaOf(s) as { properties?: Record<string, unknown>; required?: string[] } | undefined;
  return Object.entries(json?.properties ?? {}).map(([name, schema]) => ({ name, in: where, required: where === 'path' || (json?.required ?? []).includes(name), schema }));
}

const problem = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

/** Builds the OpenAPI 3.1 document from the route table and each route's spec. */
export async function buildOpenApi(routes: Record<string, () => Promise<TRouteModule>>): Promise<Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, load] of Object.entries(routes)) {
    const mod = await load();
    for (const method of HTTP_METHODS) {
      const h = mod[method];
      if (!h?.spec) continue;
      const { spec } = h;
      const access = spec.access;
      const body = schemaOf(spec.body as ZodType | undefined);
      (paths[path] ??= {})[method.toLowerCase()] = {
        summary: spec.summary,
        tags: spec.tags ?? [],
        'x-access': typeof access === 'string' ? access : { permission: access.permission, perResource: Boolean(access.resource) },
        ...(access === 'public' ? { security: [] } : {}),
        parameters: [...parametersOf('path', spec.params as ZodType | undefined), ...parametersOf('query', spec.query as ZodType | undefined)],
        ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
        responses: {
          [String(spec.status ?? 200)]: { description: 'Success', content: { 'application/json': { schema: schemaOf(spec.response as ZodType | undefined) ?? {} } } },
          '400': { description: 'Invalid input (field errors in `errors`)', ...problem },
          ...(access === 'public' ? {} : { '401': { description: 'Not signed in', ...problem }, '403': { description: 'Not allowed', ...problem }, '404': { description: 'Not found (also: another tenant’s resource)', ...problem } }),
          ...(method !== 'GET' ? { '409': { description: 'Changed meanwhile (revision conflict) or duplicate', ...problem } } : {}),
        },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Kooperacja API', version: pkg.version, description: 'REST API of the Kooperacja platform. Errors are RFC 9457 problem documents.' },
    servers: [{ url: '/' }],
    security: [{ session: [] }],
    paths,
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token', description: 'Session cookie set by signing in at /logowanie' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string', enum: Object.keys(ERROR_CODES) },
            requestId: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
