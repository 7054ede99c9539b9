import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { getCaseDocument } from '@/lib/documents/documents';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'A generated document (metadata and download URL), or the progress of its generation job',
  tags: ['documents'],
  access: 'signed-in',
  params: z.object({ id: ZId, docId: ZId }),
  handler: async ({ principal, params }) => getCaseDocument(principal, params.id, params.docId),
});
