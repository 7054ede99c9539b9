import Link from 'next/link';
import { countUnread } from '@/lib/notifications/inbox';
import { describeUnread } from '@/lib/notifications/types';

/**
 * The header bell (server component): a link to /powiadomienia with the unread count. Pass the
 * signed-in user's id (the layout already has the principal); render nothing for anonymous visitors.
 */
export async function NotificationBell({ userId }: { userId: string }) {
  const count = await countUnread({ userId });
  const label = describeUnread(count);
  return (
    <Link className="btn btn-sm btn-link position-relative" href="/powiadomienia" aria-label={label} title={label} data-testid="notification-bell">
      <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 16 16" fill="currentColor">
        <path d="M8 16a2 2 0 0 0 2-2H6a2 2 0 0 0 2 2zm.995-14.901a1 1 0 1 0-1.99 0A5.002 5.002 0 0 0 3 6c0 1.098-.5 6-2 7h14c-1.5-1-2-5.902-2-7 0-2.42-1.72-4.44-4.005-4.901z" />
      </svg>
      {count > 0 && (
        <span className="position-absolute top-0 start-100 translate-middle badge rounded-pill text-bg-danger" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
