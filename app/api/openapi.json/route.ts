import { route, type TRouteHandler } from '@/lib/http/route';
import { buildOpenApi } from '@/lib/http/openapi';
import { API_ROUTES } from '../routes';

export const dynamic = 'force-dynamic';

export const GET: TRouteHandler = route({
  summary: 'This API described as OpenAPI 3.1',
  tags: ['system'],
  access: 'public',
  handler: (): Promise<Record<string, unknown>> => buildOpenApi(API_ROUTES),
});
