import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { getCaseForm } from '@/lib/cases/submissions';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'A form of the case prepared for rendering, with the caller’s draft and the versions it may see',
  tags: ['forms'],
  access: 'signed-in',
  params: z.object({ id: ZId, formKey: ZId }),
  query: z.object({ seriesId: z.string().max(100).optional() }),
  handler: ({ principal, params, query, requestId }) => getCaseForm(principal, params.id, params.formKey, { seriesId: query.seriesId, requestId }),
});
