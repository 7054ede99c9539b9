import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { getCaseView } from '@/lib/cases/queries';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'One case as the caller may see it: subject, state, allowed events, forms, team, consent, tasks, timeline (audited read)',
  tags: ['cases'],
  access: 'signed-in',
  params: z.object({ id: ZId }),
  handler: ({ principal, params, requestId }) => getCaseView(principal, params.id, { requestId }),
});
