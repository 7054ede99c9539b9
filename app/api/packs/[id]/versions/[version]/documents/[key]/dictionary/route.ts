import { z } from 'zod';
import { route } from '@/lib/http/route';
import { PACK_ID_PATTERN } from '@/lib/packs/schema';
import { cheatSheetHtml, slotDictionaryOf } from '@/lib/documents/studio';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Data dictionary of a document slot: the tags its template may use, with sources and examples; `format=html` downloads the tag cheat sheet',
  tags: ['documents', 'packs'],
  access: 'signed-in',
  params: z.object({ id: z.string().regex(PACK_ID_PATTERN), version: z.string().min(5).max(64), key: z.string().min(1).max(100) }),
  query: z.object({ format: z.enum(['json', 'html']).default('json') }),
  handler: async ({ params, query }) => {
    const dict = await slotDictionaryOf(params.id, params.version, params.key);
    if (query.format === 'json') return dict;
    return new Response(cheatSheetHtml(dict, `${params.id} ${params.version} / ${params.key}`), {
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-disposition': `attachment; filename="znaczniki-${params.id}-${params.key}.html"`, 'x-content-type-options': 'nosniff' },
    });
  },
});
