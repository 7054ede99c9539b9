import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { decideChangeProposal, getProposalResource } from '@/lib/catalogue/entries';
import { ZDecideChange } from '@/lib/catalogue/types';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Accept or reject (reason required) a proposed change to a catalogue entry',
  tags: ['catalogue'],
  access: { permission: 'catalogue.approve', resource: ({ params }) => getProposalResource(params.id) },
  params: z.object({ id: ZId }),
  body: ZDecideChange,
  handler: ({ principal, params, body, requestId }) => decideChangeProposal(principal, params.id, body, requestId),
});
