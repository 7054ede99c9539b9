import { z } from 'zod';
import { route } from '@/lib/http/route';
import { getPublicGminaList } from '@/lib/catalogue/search';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Public list of a gmina’s services (approved, valid; no personal or case data) — no sign-in',
  tags: ['catalogue'],
  access: 'public',
  params: z.object({ gminaCode: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) }),
  handler: async ({ params }) => {
    const list = await getPublicGminaList(params.gminaCode);
    // Public and cacheable for a short time (gmina websites embed it); no cookies are read.
    return new Response(JSON.stringify(list), { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' } });
  },
});
