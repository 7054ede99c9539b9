'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiFetch } from '@/components/api';
import { FormAlert, useAction } from '@/components/admin/form-field';
import { FIELD_LABELS, formatDay } from '@/lib/catalogue/labels';
import type { TCatalogueChangeProposal, TCatalogueEntry } from '@/lib/catalogue/types';
import { EntryFieldsForm, toChanges, type TEntryDraft } from '../entry-fields-form';

interface TProps {
  entry: TCatalogueEntry;
  proposals: TCatalogueChangeProposal[];
  can: { approve: boolean; verify: boolean; withdraw: boolean; proposeChange: boolean };
  groups: { value: string; label: string }[];
}

const CONFLICT = 'Wpis zmienił się w międzyczasie. Odśwież stronę i spróbuj ponownie.';

export function EntryActions({ entry, proposals, can, groups }: TProps) {
  const router = useRouter();
  const action = useAction({ conflictMessage: CONFLICT });
  const [reason, setReason] = useState('');
  const [mode, setMode] = useState<'none' | 'edit' | 'propose'>('none');

  const act = (body: Record<string, unknown>, ok: string) =>
    action.run(() => apiFetch(`/api/catalogue/${entry._id}/actions`, { method: 'POST', body: { revision: entry.revision, ...body } }), () => ok).then((r) => {
      if (r) {
        setReason('');
        router.refresh();
      }
    });

  const save = (draft: TEntryDraft) =>
    action
      .run(
        () =>
          mode === 'edit'
            ? apiFetch(`/api/catalogue/${entry._id}`, { method: 'PATCH', body: { revision: entry.revision, changes: toChanges(draft) } })
            : apiFetch(`/api/catalogue/${entry._id}/change-proposals`, { method: 'POST', body: { changes: toChanges(draft), comment: reason || undefined } }),
        () => (mode === 'edit' ? 'Zapisano zmiany.' : 'Wysłano propozycję zmiany do zatwierdzającego.'),
      )
      .then((r) => {
        if (r) {
          setMode('none');
          router.refresh();
        }
      });

  const decide = (id: string, decision: 'accept' | 'reject') =>
    action.run(() => apiFetch(`/api/catalogue/change-proposals/${id}/decision`, { method: 'POST', body: { decision, reason: reason || undefined } }), () => (decision === 'accept' ? 'Przyjęto zmianę.' : 'Odrzucono zmianę.')).then((r) => r && router.refresh());

  const pending = proposals.filter((p) => p.status === 'pending');
  const anything = can.approve || can.verify || can.withdraw || can.proposeChange;
  if (!anything && proposals.length === 0) return null;

  return (
    <section aria-labelledby="actions-title" className="card card-body">
      <h2 id="actions-title" className="h5">Działania</h2>
      <FormAlert action={action} />
      {(can.approve || can.withdraw || pending.length > 0) && (
        <div className="mb-3">
          <label htmlFor="reason" className="form-label">Uzasadnienie / powód</label>
          <textarea id="reason" className="form-control" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby="reason-hint" maxLength={2000} />
          <div id="reason-hint" className="form-text">Wymagany przy odrzuceniu wpisu lub propozycji zmiany.</div>
        </div>
      )}
      <div className="d-flex flex-wrap gap-2 mb-3">
        {can.approve && entry.status === 'proposed' && (
          <>
            <button type="button" className="btn btn-success" disabled={action.busy} onClick={() => act({ action: 'approve', reason: reason || undefined }, 'Zatwierdzono wpis.')}>
              Zatwierdź
            </button>
            <button type="button" className="btn btn-outline-danger" disabled={action.busy} onClick={() => act({ action: 'reject', reason }, 'Odrzucono wpis.')}>
              Odrzuć
            </button>
          </>
        )}
        {can.approve && ['rejected', 'withdrawn'].includes(entry.status) && (
          <button type="button" className="btn btn-outline-success" disabled={action.busy} onClick={() => act({ action: 'approve', reason: reason || undefined }, 'Zatwierdzono wpis.')}>
            Zatwierdź ponownie
          </button>
        )}
        {can.verify && (
          <button type="button" className="btn btn-primary" disabled={action.busy} onClick={() => act({ action: 'verify' }, 'Potwierdzono aktualność wpisu.')} data-testid="verify">
            Potwierdź aktualność
          </button>
        )}
        {can.approve && ['proposed', 'approved'].includes(entry.status) && (
          <button type="button" className="btn btn-outline-secondary" onClick={() => setMode(mode === 'edit' ? 'none' : 'edit')} aria-expanded={mode === 'edit'}>
            Edytuj
          </button>
        )}
        {!can.approve && can.proposeChange && (
          <button type="button" className="btn btn-outline-secondary" onClick={() => setMode(mode === 'propose' ? 'none' : 'propose')} aria-expanded={mode === 'propose'}>
            Zaproponuj zmianę
          </button>
        )}
        {can.withdraw && (
          <button type="button" className="btn btn-outline-danger" disabled={action.busy} onClick={() => act({ action: 'withdraw', reason: reason || undefined }, 'Wycofano wpis.')}>
            Wycofaj
          </button>
        )}
      </div>
      {mode !== 'none' && (
        <EntryFieldsForm
          initial={entry}
          groups={groups}
          busy={action.busy}
          errors={action.error?.fields ?? {}}
          submitLabel={mode === 'edit' ? 'Zapisz zmiany' : 'Wyślij propozycję'}
          onSubmit={save}
          onCancel={() => setMode('none')}
        />
      )}
      {proposals.length > 0 && (
        <>
          <h3 className="h6 mt-3">Propozycje zmian</h3>
          <ul className="list-unstyled" data-testid="change-proposals">
            {proposals.map((p) => (
              <li key={p._id} className="border rounded p-2 mb-2">
                <div className="small text-secondary">
                  {p.proposedBy.name}, {formatDay(p.proposedAt)} — {p.status === 'pending' ? 'oczekuje' : p.status === 'accepted' ? 'przyjęta' : 'odrzucona'}
                </div>
                <ul className="small mb-1">
                  {Object.entries(p.changes).map(([k, v]) => (
                    <li key={k}>
                      {FIELD_LABELS[k] ?? k}: {Array.isArray(v) ? v.join(', ') : String(v ?? '—')}
                    </li>
                  ))}
                </ul>
                {p.comment && <div className="small">Komentarz: {p.comment}</div>}
                {p.decisionReason && <div className="small">Uzasadnienie decyzji: {p.decisionReason}</div>}
                {can.approve && p.status === 'pending' && (
                  <div className="d-flex gap-2 mt-1">
                    <button type="button" className="btn btn-sm btn-success" disabled={action.busy} onClick={() => decide(p._id, 'accept')}>
                      Przyjmij
                    </button>
                    <button type="button" className="btn btn-sm btn-outline-danger" disabled={action.busy} onClick={() => decide(p._id, 'reject')}>
                      Odrzuć
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
