import { route } from '@/lib/http/route';
import { listNotifications, ZListNotificationsQuery } from '@/lib/notifications/inbox';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'The caller’s own notifications, unread first (query: unreadOnly, page)',
  tags: ['notifications'],
  access: 'signed-in',
  query: ZListNotificationsQuery,
  handler: ({ principal, query }) => listNotifications(principal, query),
});
