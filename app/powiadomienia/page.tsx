import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentPrincipal } from '@/lib/auth/session';
import { listNotifications } from '@/lib/notifications/inbox';
import { NotificationList } from './notification-list';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Powiadomienia' };

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await currentPrincipal();
  if (!principal) redirect('/logowanie?callbackUrl=/powiadomienia');
  const sp = await searchParams;
  const requested = Number(typeof sp.strona === 'string' ? sp.strona : 1);
  const page = Number.isInteger(requested) && requested >= 1 ? requested : 1;
  const data = await listNotifications(principal, { page });
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  return (
    <>
      <h1 className="h3 mb-3">Powiadomienia</h1>
      <NotificationList items={data.items} unread={data.unread} />
      {pages > 1 && (
        <nav aria-label="Strony powiadomień" className="mt-3">
          <ul className="pagination">
            {Array.from({ length: pages }, (_, i) => i + 1).map((p) => (
              <li key={p} className={`page-item ${p === page ? 'active' : ''}`}>
                <Link className="page-link" href={`/powiadomienia?strona=${p}`} aria-current={p === page ? 'page' : undefined}>
                  {p}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </>
  );
}
