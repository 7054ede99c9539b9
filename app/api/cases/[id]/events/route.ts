import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { sendEvent, ZSendEvent } from '@/lib/cases/events';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Send a flow event (re-checked: roles, consent, required forms, guards; 409 on a stale revision)',
  tags: ['cases'],
  access: 'signed-in',
  params: z.object({ id: ZId }),
  body: ZSendEvent,
  handler: async ({ principal, params, body, requestId }) => {
    const c = await sendEvent(principal, params.id, body, requestId);
    return { id: c._id, revision: c.revision, state: c.state.value, status: c.status };
  },
});
