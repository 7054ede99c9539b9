'use client';

import Link from 'next/link';
import { useRef, useState } from 'react';
import { apiFetch, type TApiError } from '@/components/api';
import type { TImportReport } from '@/lib/catalogue/io';

/** Upload → validation report (each bad row by number and column) → explicit confirmation. */
export function ImportWizard({ institutions, canApprove }: { institutions: { id: string; name: string }[]; canApprove: boolean }) {
  const [institutionId, setInstitutionId] = useState(institutions[0].id);
  const [report, setReport] = useState<TImportReport | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [approve, setApprove] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  async function upload(ev: React.FormEvent) {
    ev.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) return setError('Wybierz plik CSV albo XLSX.');
    setBusy(true);
    setError('');
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      setReport(await apiFetch<TImportReport>('/api/catalogue/imports', { method: 'POST', body: { institutionId, fileName: file.name, contentBase64: btoa(bin) } }));
    } catch (e) {
      setError((e as TApiError).message);
    } finally {
      setBusy(false);
    }
  }

  async function confirm(mode: 'all' | 'valid-only') {
    if (!report) return;
    setBusy(true);
    setError('');
    try {
      setReport(await apiFetch<TImportReport>(`/api/catalogue/imports/${report.importId}/confirm`, { method: 'POST', body: { mode, approve } }));
    } catch (e) {
      setError((e as TApiError).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      {error && <div className="alert alert-danger" role="alert" data-testid="import-error">{error}</div>}
      {!report && (
        <form onSubmit={upload} className="card card-body" aria-label="Wczytaj plik">
          <div className="row g-2">
            <div className="col-md-6">
              <label htmlFor="imp-inst" className="form-label">Instytucja realizująca</label>
              <select id="imp-inst" className="form-select" value={institutionId} onChange={(e) => setInstitutionId(e.target.value)}>
                {institutions.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
              </select>
            </div>
            <div className="col-md-6">
              <label htmlFor="imp-file" className="form-label">Plik (CSV lub XLSX)</label>
              <input id="imp-file" ref={fileRef} type="file" className="form-control" accept=".csv,.xlsx" required />
            </div>
          </div>
          <div className="mt-3">
            <button type="submit" className="btn btn-primary" disabled={busy}>Sprawdź plik</button>
          </div>
        </form>
      )}
      {report && (
        <section aria-labelledby="report-title" className="card card-body" data-testid="import-report">
          <h2 id="report-title" className="h5">Raport: {report.fileName}</h2>
          <p role="status">
            Wierszy: {report.total}, poprawnych: {report.valid}, błędnych: {report.invalid}.
            {report.status === 'confirmed' && <strong> Zapisano usług: {report.entryIds.length}.</strong>}
          </p>
          {report.errors.length > 0 && (
            <table className="table table-sm" data-testid="import-errors">
              <caption>Błędy (numer wiersza jak w arkuszu; wiersz 1 to nagłówki)</caption>
              <thead>
                <tr><th scope="col">Wiersz</th><th scope="col">Kolumna</th><th scope="col">Błąd</th></tr>
              </thead>
              <tbody>
                {report.errors.map((e, i) => (
                  <tr key={i}><td>{e.row}</td><td>{e.field}</td><td>{e.message}</td></tr>
                ))}
              </tbody>
            </table>
          )}
          {report.status === 'validated' && (
            <>
              {canApprove && (
                <div className="form-check mb-2">
                  <input id="imp-approve" className="form-check-input" type="checkbox" checked={approve} onChange={(e) => setApprove(e.target.checked)} />
                  <label htmlFor="imp-approve" className="form-check-label">Od razu zatwierdź zaimportowane usługi</label>
                </div>
              )}
              <div className="d-flex flex-wrap gap-2">
                {report.invalid === 0 ? (
                  <button type="button" className="btn btn-primary" disabled={busy} onClick={() => confirm('all')}>Zapisz wszystkie ({report.valid})</button>
                ) : (
                  <>
                    <p className="w-100 mb-1">Plik zawiera błędy — nic nie zapisano. Popraw plik i wczytaj go ponownie albo świadomie zapisz tylko poprawne wiersze.</p>
                    <button type="button" className="btn btn-warning" disabled={busy || report.valid === 0} onClick={() => confirm('valid-only')}>
                      Zapisz tylko poprawne wiersze ({report.valid})
                    </button>
                  </>
                )}
                <button type="button" className="btn btn-outline-secondary" onClick={() => setReport(null)}>Wczytaj inny plik</button>
              </div>
            </>
          )}
          {report.status === 'confirmed' && <Link href="/katalog/nasze-uslugi">Przejdź do usług instytucji</Link>}
        </section>
      )}
    </div>
  );
}
