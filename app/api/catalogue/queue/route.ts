import { route } from '@/lib/http/route';
import { listApprovalQueue } from '@/lib/catalogue/search';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'The approval queue: proposed catalogue entries the caller may approve',
  tags: ['catalogue'],
  access: { permission: 'catalogue.approve' },
  handler: async ({ principal }) => ({ items: await listApprovalQueue(principal) }),
});
