import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { getEntryResource, runEntryAction, ZEntryAction } from '@/lib/catalogue/entries';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Approve, reject (reason required), withdraw or verify a catalogue entry (conditional on its revision)',
  tags: ['catalogue'],
  // Approve/reject need catalogue.approve; withdraw/verify are also open to the provider's staff — the service decides.
  access: { permission: 'catalogue.read', resource: ({ params }) => getEntryResource(params.id) },
  params: z.object({ id: ZId }),
  body: ZEntryAction,
  handler: ({ principal, params, body, requestId }) => runEntryAction(principal, params.id, body, requestId),
});
