'use client';

import { useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { apiFetch, type TApiError } from '@/components/api';
import type { TLocale } from '@/lib/i18n/messages';
import { ApiErrorAlert, toApiError } from './api-error-alert';
import { Dialog } from './dialog';
import { caseTranslator, formatDateTime } from './format';

export interface TDocSlotRow {
  key: string;
  title: string;
  canGenerate: boolean;
  reason?: string;
  submissionVersion?: number;
}

export interface TDocRow {
  id: string;
  slot: string;
  title: string;
  format: 'docx' | 'pdf';
  size: number;
  createdAt: Date | string;
  authorName: string;
  submissionVersion?: number;
  url: string;
}

type TGenerated = { status: 'done'; id: string; url: string; format: 'docx' | 'pdf' } | { status: 'queued'; id: string; statusUrl: string };
type TStatus = { document?: TDocRow; job?: { state: string; progress: number; note?: string; error?: string } };

/**
 * "Dokumenty" on the case page: the pack's document slots with Generate (DOCX / PDF), and the documents
 * made so far with Preview (DOCX rendered by docx-preview, PDF in a frame) and Download. PDF runs as a
 * job, so a progress bar shows while LibreOffice converts.
 */
export function DocumentsPanel({ caseId, slots, generated, pdfAvailable, pdfMessage, locked, locale }: { caseId: string; slots: TDocSlotRow[]; generated: TDocRow[]; pdfAvailable: boolean; pdfMessage?: string; locked: boolean; locale: TLocale }) {
  const t = caseTranslator(locale);
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ pct: number; note?: string } | null>(null);
  const [error, setError] = useState<TApiError | null>(null);
  const [preview, setPreview] = useState<TDocRow | null>(null);
  const [pdfUrl, setPdfUrl] = useState<string | null>(null);
  const docxBox = useRef<HTMLDivElement | null>(null);

  async function generate(slot: TDocSlotRow, format: 'docx' | 'pdf') {
    setBusy(`${slot.key}:${format}`);
    setError(null);
    setProgress({ pct: 0 });
    try {
      const r = await apiFetch<TGenerated>(`/api/cases/${caseId}/documents`, { method: 'POST', body: { document: slot.key, format, async: format === 'pdf' } });
      if (r.status === 'queued') {
        for (;;) {
          const s = await apiFetch<TStatus>(r.statusUrl);
          if (s.document) break;
          if (s.job?.state === 'failed') throw Object.assign(new Error(s.job.error ?? t('case.documents.failed')), { status: 500 }) as TApiError;
          setProgress({ pct: s.job?.progress ?? 0, note: s.job?.note });
          await new Promise((res) => setTimeout(res, 500));
        }
      }
      router.refresh();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
      setProgress(null);
    }
  }

  async function openPreview(d: TDocRow) {
    setPreview(d);
    setPdfUrl(null);
    setError(null);
    try {
      const res = await fetch(d.url);
      if (!res.ok) throw Object.assign(new Error(t('case.documents.previewFailed')), { status: res.status }) as TApiError;
      const blob = await res.blob();
      if (d.format === 'pdf') {
        setPdfUrl(URL.createObjectURL(new Blob([blob], { type: 'application/pdf' })));
        return;
      }
      const { renderAsync } = await import('docx-preview');
      // The dialog renders its body after opening; wait a frame for the container.
      await new Promise((res) => requestAnimationFrame(res));
      if (docxBox.current) {
        docxBox.current.innerHTML = '';
        await renderAsync(blob, docxBox.current, undefined, { inWrapper: true, ignoreLastRenderedPageBreak: true });
      }
    } catch (e) {
      setError(toApiError(e));
    }
  }

  function closePreview() {
    if (pdfUrl) URL.revokeObjectURL(pdfUrl);
    setPdfUrl(null);
    setPreview(null);
  }

  const kb = (n: number) => `${Math.max(1, Math.round(n / 1024))} KB`;

  return (
    <div data-testid="case-documents">
      {!pdfAvailable && (
        <p className="small alert alert-info py-2" role="note" data-testid="pdf-unavailable">
          {pdfMessage ?? t('case.documents.noPdf')}
        </p>
      )}
      <ApiErrorAlert error={error} t={t} className="mb-3" />
      {progress && (
        <div className="mb-3" aria-live="polite">
          <div className="small text-secondary mb-1">{t('case.documents.generating')}{progress.note ? ` (${progress.note})` : ''}</div>
          <div className="progress" role="progressbar" aria-label={t('case.documents.generating')} aria-valuenow={progress.pct} aria-valuemin={0} aria-valuemax={100}>
            <div className="progress-bar" style={{ width: `${progress.pct}%` }} />
          </div>
        </div>
      )}
      {slots.length ? (
        <ul className="list-group list-group-flush mb-3" data-testid="document-slots">
          {slots.map((s) => (
            <li key={s.key} className="list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2 px-0" data-slot={s.key}>
              <div>
                <div className="fw-semibold">{s.title}</div>
                <div className="small text-secondary">
                  {s.submissionVersion ? t('case.documents.fromVersion', { version: s.submissionVersion }) : t('case.documents.noSubmission')}
                  {!s.canGenerate && s.reason ? ` · ${s.reason}` : ''}
                </div>
              </div>
              {s.canGenerate && !locked && (
                <div className="btn-group btn-group-sm" role="group" aria-label={`${t('case.documents.generate')}: ${s.title}`}>
                  <button type="button" className="btn btn-outline-primary" disabled={busy !== null} onClick={() => generate(s, 'docx')} aria-label={`${t('case.documents.generate')} DOCX: ${s.title}`}>
                    {busy === `${s.key}:docx` ? t('case.documents.generating') : `${t('case.documents.generate')} DOCX`}
                  </button>
                  {pdfAvailable && (
                    <button type="button" className="btn btn-outline-primary" disabled={busy !== null} onClick={() => generate(s, 'pdf')} aria-label={`${t('case.documents.generate')} PDF: ${s.title}`}>
                      {busy === `${s.key}:pdf` ? t('case.documents.generating') : 'PDF'}
                    </button>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-secondary">{t('case.documents.none')}</p>
      )}
      <h3 className="h6">{t('case.documents.generated')}</h3>
      {generated.length ? (
        <ul className="list-unstyled d-grid gap-2 mb-0" data-testid="generated-documents">
          {generated.map((d) => (
            <li key={d.id} className="d-flex flex-wrap justify-content-between align-items-center gap-2">
              <div>
                <span className="fw-semibold">{d.title}</span> <span className="badge text-bg-light border">{d.format.toUpperCase()}</span>
                <div className="small text-secondary">
                  {formatDateTime(d.createdAt, locale)} · {d.authorName} · {kb(d.size)}
                  {d.submissionVersion ? ` · ${t('case.documents.fromVersion', { version: d.submissionVersion })}` : ''}
                </div>
              </div>
              <div className="d-flex gap-2">
                <button type="button" className="btn btn-sm btn-outline-secondary" onClick={() => openPreview(d)} aria-label={`${t('case.documents.preview')}: ${d.title} (${d.format.toUpperCase()})`}>
                  {t('case.documents.preview')}
                </button>
                <a className="btn btn-sm btn-primary" href={d.url} download aria-label={`${t('case.documents.download')}: ${d.title} (${d.format.toUpperCase()})`}>
                  {t('case.documents.download')}
                </a>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-secondary mb-0">{t('case.documents.noneGenerated')}</p>
      )}
      <Dialog
        open={preview !== null}
        title={preview ? `${t('case.documents.preview')}: ${preview.title}` : ''}
        onClose={closePreview}
        closeLabel={t('case.documents.close')}
        testId="document-preview"
        footer={
          preview && (
            <a className="btn btn-primary" href={preview.url} download>
              {t('case.documents.download')}
            </a>
          )
        }
      >
        {preview?.format === 'pdf' ? (
          pdfUrl ? <iframe title={preview.title} src={pdfUrl} style={{ width: '100%', height: '70vh', border: 0 }} /> : <p>{t('case.documents.loading')}</p>
        ) : (
          <div ref={docxBox} className="docx-preview-box" style={{ maxHeight: '70vh', overflow: 'auto' }} />
        )}
      </Dialog>
    </div>
  );
}
