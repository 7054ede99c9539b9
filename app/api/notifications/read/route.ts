import { route } from '@/lib/http/route';
import { markRead, ZMarkReadBody } from '@/lib/notifications/inbox';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Mark the caller’s notifications read: `{ ids: [...] }` or `{ all: true }`',
  tags: ['notifications'],
  access: 'signed-in',
  body: ZMarkReadBody,
  handler: async ({ principal, body }) => ({ updated: await markRead(principal, 'all' in body ? 'all' : body.ids) }),
});
