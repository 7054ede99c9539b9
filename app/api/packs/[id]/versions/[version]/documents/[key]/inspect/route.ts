import { z } from 'zod';
import { route } from '@/lib/http/route';
import { PACK_ID_PATTERN } from '@/lib/packs/schema';
import { inspectUploadedTemplate, previewUploadedTemplate, readCappedBody } from '@/lib/documents/studio';
import { DOCX_MIME } from '@/lib/documents/template';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Inspect an uploaded DOCX template (raw body, `name` in the query) against the slot’s data dictionary: Polish problems with the paragraph as context; stores nothing. `preview=1` answers the template filled with sample data',
  tags: ['documents', 'packs'],
  access: { permission: 'pack.manage' },
  params: z.object({ id: z.string().regex(PACK_ID_PATTERN), version: z.string().min(5).max(64), key: z.string().min(1).max(100) }),
  query: z.object({ name: z.string().min(1).max(200), preview: z.enum(['0', '1']).default('0') }),
  handler: async ({ req, params, query }) => {
    const bytes = await readCappedBody(req);
    if (query.preview === '1') {
      const out = await previewUploadedTemplate(params.id, params.version, params.key, query.name, bytes);
      return new Response(new Uint8Array(out), { headers: { 'content-type': DOCX_MIME, 'content-disposition': 'attachment; filename="podglad.docx"', 'x-content-type-options': 'nosniff' } });
    }
    return inspectUploadedTemplate(params.id, params.version, params.key, query.name, bytes);
  },
});
