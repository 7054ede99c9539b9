'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiFetch, type TApiError } from '@/components/api';
import { LEVEL_LABELS, formatDay } from '@/lib/catalogue/labels';
import type { TCatalogueEntry } from '@/lib/catalogue/types';

/** One card per proposed entry: approve, or reject with a reason (required). */
export function ApprovalQueue({ items, groupLabels }: { items: TCatalogueEntry[]; groupLabels: Record<string, string> }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<Record<string, string>>({});

  async function act(e: TCatalogueEntry, action: 'approve' | 'reject') {
    setBusy(e._id);
    setErrors((x) => ({ ...x, [e._id]: '' }));
    try {
      await apiFetch(`/api/catalogue/${e._id}/actions`, { method: 'POST', body: { action, revision: e.revision, reason: reasons[e._id]?.trim() || undefined } });
      setDone((x) => ({ ...x, [e._id]: action === 'approve' ? 'Zatwierdzono.' : 'Odrzucono.' }));
      router.refresh();
    } catch (err) {
      const a = err as TApiError;
      setErrors((x) => ({ ...x, [e._id]: a.status === 409 ? 'Wpis zmienił się w międzyczasie — odśwież stronę.' : (a.fieldErrors?.reason ?? a.message) }));
    } finally {
      setBusy(null);
    }
  }

  const open = items.filter((i) => !done[i._id]);
  return (
    <div aria-live="polite">
      {Object.entries(done).map(([id, text]) => (
        <p key={id} className="visually-hidden" role="status">
          {items.find((i) => i._id === id)?.name}: {text}
        </p>
      ))}
      {open.length === 0 && <p className="text-secondary" data-testid="queue-empty">Brak zgłoszeń oczekujących na decyzję.</p>}
      <ul className="list-unstyled" data-testid="approval-queue">
        {open.map((e) => (
          <li key={e._id} className="card mb-3" data-testid="queue-item" data-name={e.name}>
            <div className="card-body">
              <h2 className="h5 card-title">
                <Link href={`/katalog/${e._id}`}>{e.name}</Link>
              </h2>
              <p className="mb-1 small text-secondary">
                {e.providerName} · poziom {LEVEL_LABELS[e.level]} · zgłoszono {formatDay(e.createdAt)} przez {e.history[0]?.by.name}
              </p>
              {e.description && <p className="mb-1">{e.description}</p>}
              {e.recipientGroups?.length > 0 && <p className="mb-2 small">Odbiorcy: {e.recipientGroups.map((g) => groupLabels[g] ?? g).join(', ')}</p>}
              <label htmlFor={`reason-${e._id}`} className="form-label small mb-1">Powód (wymagany przy odrzuceniu)</label>
              <textarea
                id={`reason-${e._id}`}
                className={`form-control form-control-sm mb-2 ${errors[e._id] ? 'is-invalid' : ''}`}
                rows={2}
                value={reasons[e._id] ?? ''}
                onChange={(ev) => setReasons((x) => ({ ...x, [e._id]: ev.target.value }))}
                aria-describedby={errors[e._id] ? `err-${e._id}` : undefined}
              />
              {errors[e._id] && (
                <div id={`err-${e._id}`} className="invalid-feedback d-block mb-2" role="alert">
                  {errors[e._id]}
                </div>
              )}
              <div className="d-flex gap-2">
                <button type="button" className="btn btn-success btn-sm" disabled={busy === e._id} onClick={() => act(e, 'approve')}>
                  Zatwierdź
                </button>
                <button type="button" className="btn btn-outline-danger btn-sm" disabled={busy === e._id} onClick={() => act(e, 'reject')}>
                  Odrzuć
                </button>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
