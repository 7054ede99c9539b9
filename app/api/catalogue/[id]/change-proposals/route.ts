import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { getEntryResource, proposeEntryChange } from '@/lib/catalogue/entries';
import { ZProposeChange } from '@/lib/catalogue/types';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Propose a change to an approved catalogue entry (partner with catalogue.propose; the approver decides)',
  tags: ['catalogue'],
  access: { permission: 'catalogue.read', resource: ({ params }) => getEntryResource(params.id) },
  params: z.object({ id: ZId }),
  body: ZProposeChange,
  status: 201,
  handler: ({ principal, params, body, requestId }) => proposeEntryChange(principal, params.id, body, requestId),
});
