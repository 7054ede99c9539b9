'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiFetch } from '@/components/api';
import { FormRenderer, type TFormData } from '@/components/forms/form-renderer';
import type { TCatalogueEntry } from '@/lib/catalogue/types';

interface TProps {
  form: object;
  institutions: { id: string; name: string; levelLabels: { value: string; label: string }[] }[];
  institutionId: string;
  defaultLevel: string;
}

export function CardSubmit({ form, institutions, institutionId, defaultLevel }: TProps) {
  const router = useRouter();
  const [level, setLevel] = useState(defaultLevel);
  const [created, setCreated] = useState<TCatalogueEntry[] | null>(null);
  const inst = institutions.find((i) => i.id === institutionId)!;

  async function submit(data: TFormData) {
    const res = await apiFetch<{ entries: TCatalogueEntry[] }>('/api/catalogue/cards', { method: 'POST', body: { institutionId, level, data } });
    setCreated(res.entries);
  }

  if (created) {
    return (
      <div className="alert alert-success" role="status" tabIndex={-1} data-testid="card-submitted" ref={(el) => el?.focus()}>
        <p className="mb-2">Zgłoszono usługi ({created.length}). Czekają na zatwierdzenie:</p>
        <ul>
          {created.map((e) => (
            <li key={e._id}>
              <Link href={`/katalog/${e._id}`}>{e.name}</Link>
            </li>
          ))}
        </ul>
        <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => { setCreated(null); router.refresh(); }}>
          Zgłoś kolejną kartę
        </button>
      </div>
    );
  }

  return (
    <>
      <div className="row g-2 mb-3">
        <div className="col-md-6">
          <label htmlFor="institution" className="form-label">Instytucja realizująca</label>
          <select id="institution" className="form-select" value={institutionId} onChange={(e) => router.push(`/katalog/zglos?instytucja=${encodeURIComponent(e.target.value)}`)}>
            {institutions.map((i) => (
              <option key={i.id} value={i.id}>{i.name}</option>
            ))}
          </select>
        </div>
        <div className="col-md-3">
          <label htmlFor="level" className="form-label">Poziom usług</label>
          <select id="level" className="form-select" value={level} onChange={(e) => setLevel(e.target.value)}>
            {inst.levelLabels.map((l) => (
              <option key={l.value} value={l.value}>{l.label}</option>
            ))}
          </select>
        </div>
      </div>
      <FormRenderer form={form} onSubmit={submit} submitLabel="Wyślij kartę do zatwierdzenia" />
    </>
  );
}
