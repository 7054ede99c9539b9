'use client';

import { useCallback, useRef, useState } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { apiFetch, type TApiError } from '@/components/api';
import { FormRenderer, type TFormData } from '@/components/forms/form-renderer';
import type { TLocale } from '@/lib/i18n/messages';
import { ApiErrorAlert, toApiError } from './api-error-alert';
import { caseTranslator, formatDateTime, formatTime } from './format';

type TWhen = Date | string;

export interface TCaseFormViewData {
  formKey: string;
  title: string;
  form: Record<string, unknown>;
  visibility: 'shared' | 'private';
  repeatable: boolean;
  canFill: boolean;
  lockedReason?: string;
  draft?: { _id: string; revision: number; data: TFormData; seriesId: string; updatedAt: TWhen };
  latest?: { _id: string; version: number; data: TFormData; seriesId: string; submittedAt?: TWhen };
  versions: { _id: string; version: number; seriesId: string; submittedAt?: TWhen }[];
}

type TSaveState = { kind: 'idle' } | { kind: 'loaded'; at: TWhen } | { kind: 'saving' } | { kind: 'saved'; at: TWhen } | { kind: 'error'; error: TApiError };

/**
 * Filling a case form: prefilled with the user's draft (else the latest visible version), autosaved as a
 * draft on every change, "Zatwierdź" submits a new version checked on the server (field errors inline),
 * then back to the case. Older versions open read-only below.
 */
export function CaseFormView({ caseId, caseNumber, subjectName, view, seriesId, locale }: { caseId: string; caseNumber: string; subjectName: string; view: TCaseFormViewData; seriesId?: string; locale: TLocale }) {
  const t = caseTranslator(locale);
  const router = useRouter();
  const base = `/api/cases/${encodeURIComponent(caseId)}/forms/${encodeURIComponent(view.formKey)}`;
  // A repeatable form without a series opens a new record: only the user's unfinished draft carries over.
  const newRecord = view.repeatable && !seriesId;
  const startFrom = view.draft?.data ?? (newRecord ? undefined : view.latest?.data);
  // No submission for an empty start: Form.io applies a given one after it is ready, resetting what was typed meanwhile.
  const [initial] = useState(() => (startFrom ? { data: startFrom } : undefined));
  const baseVersion = newRecord ? 0 : (view.latest?.version ?? 0);

  const draftRevision = useRef<number | undefined>(view.draft?.revision);
  const series = useRef<string | undefined>(seriesId ?? view.draft?.seriesId);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const stopped = useRef(false);
  const [save, setSave] = useState<TSaveState>(view.draft ? { kind: 'loaded', at: view.draft.updatedAt } : { kind: 'idle' });
  const [conflict, setConflict] = useState<TApiError | null>(null);
  const [viewing, setViewing] = useState<{ version: number; submittedAt?: TWhen; data: TFormData } | null>(null);
  const [viewError, setViewError] = useState<TApiError | null>(null);
  const [loadingVersion, setLoadingVersion] = useState<string | null>(null);

  const saveDraft = useCallback(
    async (data: TFormData) => {
      if (stopped.current) return;
      setSave({ kind: 'saving' });
      try {
        const r = await apiFetch<{ revision: number; updatedAt: string; seriesId: string }>(`${base}/draft`, {
          method: 'PUT',
          body: { data, ...(draftRevision.current ? { revision: draftRevision.current } : {}), ...(view.repeatable && series.current ? { seriesId: series.current } : {}) },
        });
        draftRevision.current = r.revision;
        series.current = r.seriesId;
        setSave({ kind: 'saved', at: r.updatedAt });
      } catch (e) {
        const err = toApiError(e);
        // A draft changed in another window: stop autosaving over it until the page is reloaded.
        if (err.status === 409) stopped.current = true;
        setSave({ kind: 'error', error: err });
      }
    },
    [base, view.repeatable],
  );

  const onChange = useCallback(
    (data: TFormData) => {
      chain.current = chain.current.then(() => saveDraft(data));
    },
    [saveDraft],
  );

  async function onSubmit(data: TFormData) {
    stopped.current = true;
    await chain.current;
    setConflict(null);
    try {
      const r = await apiFetch<{ version: number }>(`${base}/submissions`, {
        method: 'POST',
        body: { data, baseVersion, ...(view.repeatable && series.current ? { seriesId: series.current } : {}) },
      });
      router.push(`/sprawy/${encodeURIComponent(caseId)}?zatwierdzono=${encodeURIComponent(view.formKey)}&wersja=${r.version}`);
      router.refresh();
    } catch (e) {
      const err = toApiError(e);
      if (err.status === 409) setConflict(err);
      else stopped.current = false;
      throw err;
    }
  }

  async function openVersion(id: string) {
    setLoadingVersion(id);
    setViewError(null);
    try {
      const s = await apiFetch<{ version: number; submittedAt?: string; data: TFormData }>(`/api/cases/${encodeURIComponent(caseId)}/submissions/${encodeURIComponent(id)}`);
      setViewing({ version: s.version, submittedAt: s.submittedAt, data: s.data });
      requestAnimationFrame(() => document.getElementById('version-view')?.focus());
    } catch (e) {
      setViewError(toApiError(e));
    } finally {
      setLoadingVersion(null);
    }
  }

  const editable = view.canFill;
  const seriesVersions = seriesId ? view.versions.filter((v) => v.seriesId === seriesId) : view.versions;
  const seriesList = view.repeatable ? [...new Map(view.versions.map((v) => [v.seriesId, v])).values()] : [];

  return (
    <>
      <div className="d-flex flex-wrap justify-content-between align-items-start gap-2 mb-3">
        <div>
          <h1 className="h3 mb-1">{view.title}</h1>
          <p className="text-secondary mb-0">
            {t('case.page.title', { number: caseNumber })} · {subjectName}
          </p>
        </div>
        <span className={`badge fs-6 ${view.visibility === 'shared' ? 'text-bg-info' : 'text-bg-warning'}`} title={t(view.visibility === 'shared' ? 'case.forms.sharedHint' : 'case.forms.privateHint')}>
          {t(view.visibility === 'shared' ? 'case.forms.shared' : 'case.forms.private')}
        </span>
      </div>

      {view.lockedReason && (
        <div className="alert alert-warning" role="alert" data-testid="form-locked">
          {view.lockedReason}
        </div>
      )}
      {!editable && !view.lockedReason && (
        <div className="alert alert-info" role="status">
          {t('case.form.readOnly')}
        </div>
      )}
      <ApiErrorAlert error={conflict} t={t} className="mb-3" />

      <div className="row g-4">
        <div className="col-lg-8">
          <section className="card card-body" aria-label={view.title}>
            {editable && (
              <div className="d-flex justify-content-between align-items-center mb-2 small">
                <span className="text-secondary">
                  {newRecord ? t('case.form.newRecord') : view.latest ? t('case.form.basedOn', { version: view.latest.version }) : t('case.form.first')}
                </span>
                <span aria-live="polite" data-testid="draft-status" className={save.kind === 'error' ? 'text-danger' : 'text-secondary'}>
                  {save.kind === 'saving' && t('case.form.saving')}
                  {save.kind === 'saved' && t('case.form.saved', { time: formatTime(save.at, locale) })}
                  {save.kind === 'loaded' && t('case.form.draftLoaded', { time: formatDateTime(save.at, locale) })}
                  {save.kind === 'error' && (save.error.status === 409 ? t('case.form.draftConflict') : t('case.form.draftFailed', { message: save.error.message }))}
                </span>
              </div>
            )}
            {save.kind === 'error' && save.error.status === 409 && <ApiErrorAlert error={save.error} t={t} className="mb-3" />}
            {editable || view.latest ? (
              <FormRenderer
                form={view.form}
                submission={initial}
                readOnly={!editable}
                language={locale}
                onSubmit={editable ? onSubmit : undefined}
                onChange={editable ? onChange : undefined}
                submitLabel={t('case.form.submit')}
              />
            ) : (
              <p className="text-secondary mb-0">{t('case.form.nothingYet')}</p>
            )}
          </section>

          {viewing && (
            <section id="version-view" tabIndex={-1} className="card card-body mt-4" aria-labelledby="version-view-title" data-testid="version-view">
              <div className="d-flex justify-content-between align-items-center mb-2">
                <h2 id="version-view-title" className="h5 mb-0">
                  {t('case.form.versionTitle', { version: viewing.version, date: formatDateTime(viewing.submittedAt, locale) })}
                </h2>
                <button type="button" className="btn btn-sm btn-outline-secondary" onClick={() => setViewing(null)}>
                  {t('case.form.closeVersion')}
                </button>
              </div>
              <FormRenderer key={`v${viewing.version}-${String(viewing.submittedAt)}`} form={view.form} submission={{ data: viewing.data }} readOnly language={locale} />
            </section>
          )}
        </div>

        <aside className="col-lg-4">
          <section className="card" aria-labelledby="versions-title">
            <div className="card-header bg-white">
              <h2 id="versions-title" className="h6 mb-0">
                {t('case.form.history')}
              </h2>
            </div>
            {seriesVersions.length ? (
              <ul className="list-group list-group-flush" data-testid="versions">
                {seriesVersions.map((v) => (
                  <li key={v._id} className="list-group-item d-flex justify-content-between align-items-center gap-2">
                    <span>
                      {t('case.form.version', { version: v.version })}
                      <span className="d-block small text-secondary">{formatDateTime(v.submittedAt, locale)}</span>
                    </span>
                    <button type="button" className="btn btn-sm btn-outline-secondary" onClick={() => openVersion(v._id)} disabled={loadingVersion === v._id} aria-busy={loadingVersion === v._id}>
                      {t('case.form.open')}
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="card-body text-secondary mb-0 small">{t('case.form.noVersions')}</p>
            )}
            <ApiErrorAlert error={viewError} t={t} className="m-2" />
          </section>

          {view.repeatable && (
            <section className="card mt-3" aria-labelledby="records-title">
              <div className="card-header bg-white">
                <h2 id="records-title" className="h6 mb-0">
                  {t('case.form.records')}
                </h2>
              </div>
              <ul className="list-group list-group-flush">
                {seriesList.map((v, i) => (
                  <li key={v.seriesId} className="list-group-item">
                    <Link href={`/sprawy/${encodeURIComponent(caseId)}/formularze/${encodeURIComponent(view.formKey)}?seria=${encodeURIComponent(v.seriesId)}`} aria-current={v.seriesId === seriesId ? 'page' : undefined}>
                      {t('case.form.record', { n: seriesList.length - i, date: formatDateTime(v.submittedAt, locale) })}
                    </Link>
                  </li>
                ))}
                <li className="list-group-item">
                  <Link href={`/sprawy/${encodeURIComponent(caseId)}/formularze/${encodeURIComponent(view.formKey)}`} className="btn btn-sm btn-outline-primary">
                    {t('case.form.newRecordLink')}
                  </Link>
                </li>
              </ul>
            </section>
          )}
        </aside>
      </div>
    </>
  );
}
