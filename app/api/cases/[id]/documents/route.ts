import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { generateCaseDocument, listCaseDocuments, ZGenerateDocument } from '@/lib/documents/documents';
import { isLocale } from '@/lib/i18n/messages';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Document slots of the case (templates of its pack the user may generate) and the documents generated so far; says whether PDF is available',
  tags: ['documents'],
  access: 'signed-in',
  params: z.object({ id: ZId }),
  handler: async ({ req, principal, params }) => {
    const lang = /(?:^|;\s*)lang=([a-z]{2})/.exec(req.headers.get('cookie') ?? '')?.[1];
    return listCaseDocuments(principal, params.id, isLocale(lang) ? lang : 'pl');
  },
});

export const POST = route({
  summary: 'Generate a document from its template and the pinned submission: { document, format: docx|pdf } → stored file id and download URL (201); big documents and `async: true` answer 202 with a status URL (job with progress)',
  tags: ['documents'],
  access: 'signed-in',
  params: z.object({ id: ZId }),
  body: ZGenerateDocument,
  status: 201,
  handler: async ({ principal, params, body, requestId }) => {
    const r = await generateCaseDocument(principal, params.id, body, requestId);
    return r.status === 'queued' ? Response.json(r, { status: 202 }) : r;
  },
});
