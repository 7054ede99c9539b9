import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { getSubmission } from '@/lib/cases/submissions';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'One submitted version of a form (history); private sections only for the authoring institution',
  tags: ['forms'],
  access: 'signed-in',
  params: z.object({ id: ZId, submissionId: ZId }),
  handler: ({ principal, params, requestId }) => getSubmission(principal, params.id, params.submissionId, requestId),
});
