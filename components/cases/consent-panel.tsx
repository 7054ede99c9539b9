'use client';

import { useId, useState } from 'react';
import { useRouter } from 'next/navigation';
import { apiFetch, type TApiError } from '@/components/api';
import type { TLocale } from '@/lib/i18n/messages';
import { ApiErrorAlert, toApiError } from './api-error-alert';
import { Dialog } from './dialog';
import { caseTranslator, formatDate } from './format';

export interface TConsentRow {
  _id: string;
  status: 'active' | 'withdrawn';
  purpose: string;
  recipients: string;
  signatories: string[];
  evidenceCount: number;
  validFrom: Date | string;
  validTo?: Date | string;
  withdrawnAt?: Date | string;
  withdrawalReason?: string;
  /** Whom and what the consent covers (null: recorded before scopes — the whole team). */
  coverage: { wholeTeam: boolean; institutions: string[]; forms?: string[] } | null;
}

/** Consent records of the case, and the "Wycofanie zgody" dialog (a reason is required). */
export function ConsentPanel({ caseId, consents, canWithdraw, locale }: { caseId: string; consents: TConsentRow[]; canWithdraw: boolean; locale: TLocale }) {
  const t = caseTranslator(locale);
  const router = useRouter();
  const reasonId = useId();
  const [target, setTarget] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<TApiError | null>(null);
  const [done, setDone] = useState('');
  const reasonError = error?.fieldErrors?.reason;

  async function withdraw() {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/api/cases/${encodeURIComponent(caseId)}/consents/${encodeURIComponent(target)}/withdraw`, { method: 'POST', body: { reason } });
      setTarget(null);
      setDone(t('case.consent.withdrawn'));
      if (window.location.search) router.replace(window.location.pathname, { scroll: false });
      else router.refresh();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div data-testid="consent-panel">
      {consents.length === 0 ? (
        <p className="text-secondary mb-0">{t('case.consent.none')}</p>
      ) : (
        <ul className="list-unstyled mb-0 d-grid gap-3">
          {consents.map((c) => (
            <li key={c._id} className="border rounded p-2">
              <div className="d-flex justify-content-between align-items-start gap-2">
                <span className={`badge ${c.status === 'active' ? 'text-bg-success' : 'text-bg-secondary'}`}>{t(c.status === 'active' ? 'case.consent.active' : 'case.consent.inactive')}</span>
                <span className="small text-secondary text-end">
                  {formatDate(c.validFrom, locale)} – {c.validTo ? formatDate(c.validTo, locale) : t('case.consent.noEnd')}
                </span>
              </div>
              {c.purpose && (
                <div className="small mt-1">
                  <span className="text-secondary">{t('case.consent.purpose')}:</span> {c.purpose}
                </div>
              )}
              {c.recipients && (
                <div className="small">
                  <span className="text-secondary">{t('case.consent.recipients')}:</span> {c.recipients}
                </div>
              )}
              <div className="small" data-testid="consent-coverage">
                <span className="text-secondary">{t('case.consent.covers')}:</span>{' '}
                {!c.coverage || c.coverage.wholeTeam ? t('case.consent.wholeTeam') : c.coverage.institutions.join(', ')}
                {c.coverage?.forms && (
                  <>
                    {' '}
                    · {t('case.consent.formsCovered')}: {c.coverage.forms.join(', ')}
                  </>
                )}
              </div>
              {c.signatories.length > 0 && (
                <div className="small">
                  <span className="text-secondary">{t('case.consent.signatories')}:</span> {c.signatories.join(', ')}
                </div>
              )}
              <div className="small text-secondary">{t('case.consent.evidence', { n: c.evidenceCount })}</div>
              {c.status === 'withdrawn' && c.withdrawnAt && (
                <div className="small mt-1">
                  {t('case.consent.withdrawnAt', { date: formatDate(c.withdrawnAt, locale) })}
                  {c.withdrawalReason ? ` — ${c.withdrawalReason}` : ''}
                </div>
              )}
              {c.status === 'active' && canWithdraw && (
                <button
                  type="button"
                  className="btn btn-sm btn-outline-danger mt-2"
                  onClick={() => {
                    setReason('');
                    setError(null);
                    setTarget(c._id);
                  }}
                >
                  {t('case.consent.withdraw')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div aria-live="polite" className="small text-success mt-2">
        {done}
      </div>
      <Dialog
        closeLabel={t('case.close')}
        open={target !== null}
        title={t('case.consent.withdrawTitle')}
        onClose={() => setTarget(null)}
        testId="dialog-withdraw"
        footer={
          <>
            <button type="button" className="btn btn-outline-secondary" onClick={() => setTarget(null)}>
              {t('case.cancel')}
            </button>
            <button type="button" className="btn btn-danger" disabled={busy || reason.trim().length < 3} aria-busy={busy} onClick={withdraw}>
              {busy && <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />}
              {t('case.consent.withdrawConfirm')}
            </button>
          </>
        }
      >
        <ApiErrorAlert error={error} t={t} shownFields={['reason']} className="mb-3" />
        <p>{t('case.consent.withdrawLead')}</p>
        <label htmlFor={reasonId} className="form-label">
          {t('case.consent.reason')} <span aria-hidden="true">*</span>
        </label>
        <textarea
          id={reasonId}
          className={`form-control ${reasonError ? 'is-invalid' : ''}`}
          rows={3}
          required
          aria-required="true"
          aria-invalid={reasonError ? true : undefined}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={1000}
        />
        {reasonError ? <div className="invalid-feedback d-block">{reasonError}</div> : <div className="form-text">{t('case.consent.reasonHint')}</div>}
      </Dialog>
    </div>
  );
}
