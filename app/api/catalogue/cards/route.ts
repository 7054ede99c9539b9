import { route } from '@/lib/http/route';
import { submitCatalogueCard } from '@/lib/catalogue/entries';
import { ZSubmitCard } from '@/lib/catalogue/types';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Submit a catalogue card (the pack’s catalogueInput form): one proposed entry per row of its datagrid',
  tags: ['catalogue'],
  // Proposing for one's own institution needs catalogue.propose there; approvers may submit for institutions in scope.
  access: 'signed-in',
  body: ZSubmitCard,
  status: 201,
  handler: ({ principal, body, requestId }) => submitCatalogueCard(principal, body, requestId),
});
