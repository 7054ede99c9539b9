'use client';

import { useState } from 'react';
import type { TCatalogueEntry } from '@/lib/catalogue/types';

/** Edit form of an entry's fields (the approver's edit and the partner's change proposal). */
export interface TEntryDraft {
  name: string;
  description: string;
  providerName: string;
  contactPerson: string;
  contactChannel: string;
  recipientGroups: string[];
  area: string;
  conditions: string;
  hours: string;
  eService: boolean;
  eServiceUrl: string;
  validFrom: string;
  validTo: string;
}

const day = (v?: string | Date) => (v ? new Date(v).toISOString().slice(0, 10) : '');

export function toDraft(e: Partial<TCatalogueEntry>): TEntryDraft {
  return {
    name: e.name ?? '',
    description: e.description ?? '',
    providerName: e.providerName ?? '',
    contactPerson: e.contactPerson ?? '',
    contactChannel: e.contactChannel ?? '',
    recipientGroups: e.recipientGroups ?? [],
    area: e.area ?? '',
    conditions: e.conditions ?? '',
    hours: e.hours ?? '',
    eService: Boolean(e.eService),
    eServiceUrl: e.eServiceUrl ?? '',
    validFrom: day(e.validFrom),
    validTo: day(e.validTo),
  };
}

/** Empty texts are sent as absent (the URL and dates cannot be empty strings). */
export function toChanges(d: TEntryDraft): Record<string, unknown> {
  return Object.fromEntries(Object.entries(d).filter(([k, v]) => !(v === '' && ['eServiceUrl', 'validFrom', 'validTo', 'name'].includes(k))));
}

interface TProps {
  initial: Partial<TCatalogueEntry>;
  groups: { value: string; label: string }[];
  busy: boolean;
  errors: Record<string, string>;
  submitLabel: string;
  onSubmit: (d: TEntryDraft) => void;
  onCancel: () => void;
}

const TEXTS: [keyof TEntryDraft, string, 'text' | 'textarea' | 'date' | 'url'][] = [
  ['name', 'Nazwa usługi', 'text'],
  ['description', 'Opis', 'textarea'],
  ['providerName', 'Realizator', 'text'],
  ['conditions', 'Warunki dostępu', 'textarea'],
  ['hours', 'Dni i godziny', 'text'],
  ['area', 'Obszar / miejscowość', 'text'],
  ['contactChannel', 'Kontakt publiczny (telefon, e-mail instytucji)', 'text'],
  ['contactPerson', 'Osoba do kontaktu (widoczna tylko dla pracowników)', 'text'],
  ['eServiceUrl', 'Adres e-usługi', 'url'],
  ['validFrom', 'Ważne od', 'date'],
  ['validTo', 'Ważne do', 'date'],
];

export function EntryFieldsForm({ initial, groups, busy, errors, submitLabel, onSubmit, onCancel }: TProps) {
  const [d, setD] = useState<TEntryDraft>(() => toDraft(initial));
  const err = (k: string) => errors[`changes.${k}`];
  return (
    <form
      onSubmit={(ev) => {
        ev.preventDefault();
        onSubmit(d);
      }}
      aria-label={submitLabel}
      className="border-top pt-3"
    >
      {TEXTS.map(([k, label, type]) => {
        const id = `f-${k}`;
        const value = d[k] as string;
        const set = (v: string) => setD({ ...d, [k]: v });
        return (
          <div className="mb-2" key={k}>
            <label htmlFor={id} className="form-label small mb-1">{label}</label>
            {type === 'textarea' ? (
              <textarea id={id} className={`form-control form-control-sm ${err(k) ? 'is-invalid' : ''}`} rows={2} value={value} onChange={(e) => set(e.target.value)} aria-describedby={err(k) ? `${id}-err` : undefined} />
            ) : (
              <input id={id} type={type} className={`form-control form-control-sm ${err(k) ? 'is-invalid' : ''}`} value={value} required={k === 'name'} onChange={(e) => set(e.target.value)} aria-describedby={err(k) ? `${id}-err` : undefined} />
            )}
            {err(k) && <div id={`${id}-err`} className="invalid-feedback d-block">{err(k)}</div>}
          </div>
        );
      })}
      <fieldset className="mb-2">
        <legend className="form-label small mb-1">Grupy odbiorców</legend>
        {groups.map((g) => (
          <div className="form-check form-check-inline" key={g.value}>
            <input
              className="form-check-input"
              type="checkbox"
              id={`g-${g.value}`}
              checked={d.recipientGroups.includes(g.value)}
              onChange={(e) => setD({ ...d, recipientGroups: e.target.checked ? [...d.recipientGroups, g.value] : d.recipientGroups.filter((x) => x !== g.value) })}
            />
            <label className="form-check-label small" htmlFor={`g-${g.value}`}>{g.label}</label>
          </div>
        ))}
      </fieldset>
      <div className="form-check mb-3">
        <input className="form-check-input" type="checkbox" id="f-eService" checked={d.eService} onChange={(e) => setD({ ...d, eService: e.target.checked })} />
        <label className="form-check-label" htmlFor="f-eService">Usługa dostępna zdalnie (e-usługa)</label>
      </div>
      <div className="d-flex gap-2">
        <button type="submit" className="btn btn-primary btn-sm" disabled={busy}>{submitLabel}</button>
        <button type="button" className="btn btn-outline-secondary btn-sm" onClick={onCancel}>Anuluj</button>
      </div>
    </form>
  );
}
