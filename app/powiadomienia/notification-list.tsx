'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiFetch, type TApiError } from '@/components/api';
import { NOTIFICATION_KIND_LABELS, type TNotificationView } from '@/lib/notifications/types';

const KIND_BADGE: Record<TNotificationView['kind'], string> = {
  reminder: 'text-bg-warning',
  escalation: 'text-bg-danger',
  task: 'text-bg-primary',
  info: 'text-bg-secondary',
};

const formatDate = (iso: string) => new Intl.DateTimeFormat('pl-PL', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Warsaw' }).format(new Date(iso));

export function NotificationList({ items, unread }: { items: TNotificationView[]; unread: number }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function mark(body: { ids: string[] } | { all: true }) {
    setBusy(true);
    setError(undefined);
    try {
      await apiFetch('/api/notifications/read', { method: 'POST', body });
      router.refresh();
    } catch (e) {
      setError((e as TApiError).message);
    } finally {
      setBusy(false);
    }
  }

  if (items.length === 0) {
    return (
      <p className="text-secondary" data-testid="notifications-empty">
        Nie masz żadnych powiadomień. Pojawią się tu przypomnienia o terminach, zadania i informacje o sprawach.
      </p>
    );
  }

  return (
    <>
      <div className="d-flex align-items-center justify-content-between mb-2">
        <p className="mb-0" role="status">
          {unread > 0 ? `Nieprzeczytane: ${unread}` : 'Wszystkie powiadomienia są przeczytane.'}
        </p>
        {unread > 0 && (
          <button type="button" className="btn btn-sm btn-outline-primary" disabled={busy} onClick={() => mark({ all: true })}>
            Oznacz wszystkie jako przeczytane
          </button>
        )}
      </div>
      {error && (
        <div className="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <ul className="list-group" data-testid="notifications">
        {items.map((n) => {
          const isUnread = !n.readAt;
          return (
            <li key={n.id} className={`list-group-item d-flex gap-3 align-items-start ${isUnread ? 'list-group-item-light fw-semibold' : ''}`}>
              <div className="flex-grow-1">
                <div className="d-flex flex-wrap gap-2 align-items-center mb-1">
                  <span className={`badge ${KIND_BADGE[n.kind]}`}>{NOTIFICATION_KIND_LABELS[n.kind]}</span>
                  {isUnread && <span className="visually-hidden">Nieprzeczytane: </span>}
                  <span>{n.title}</span>
                </div>
                <Link href={n.link} className={isUnread ? '' : 'fw-normal'} onClick={() => isUnread && void mark({ ids: [n.id] })}>
                  {n.body}
                </Link>
                <div className="small text-secondary fw-normal">
                  <time dateTime={n.createdAt}>{formatDate(n.createdAt)}</time>
                </div>
              </div>
              {isUnread && (
                <button type="button" className="btn btn-sm btn-link" disabled={busy} onClick={() => mark({ ids: [n.id] })}>
                  Oznacz jako przeczytane<span className="visually-hidden">: {n.title}</span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
