import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { withdrawConsent, ZWithdrawConsent } from '@/lib/cases/consent';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Record the withdrawal of a consent: the case is locked except for closing, export and erasure',
  tags: ['consent'],
  access: 'signed-in',
  params: z.object({ id: ZId, consentId: ZId }),
  body: ZWithdrawConsent,
  handler: async ({ principal, params, body, requestId }) => {
    const c = await withdrawConsent(principal, params.id, params.consentId, body, requestId);
    return { id: c._id, revision: c.revision, consent: c.consent };
  },
});
