import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { readCaseDocument } from '@/lib/documents/documents';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Download a generated document (DOCX or PDF); audited',
  tags: ['documents'],
  access: 'signed-in',
  params: z.object({ id: ZId, docId: ZId }),
  handler: async ({ principal, params, requestId }) => {
    const f = await readCaseDocument(principal, params.id, params.docId, requestId);
    const ascii = f.name.replace(/[^\x20-\x7e]/g, '_');
    return new Response(Buffer.from(f.bytes), {
      status: 200,
      headers: {
        'content-type': f.type,
        'content-length': String(f.bytes.byteLength),
        'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.name)}`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
        'content-security-policy': "default-src 'none'; sandbox",
      },
    });
  },
});
