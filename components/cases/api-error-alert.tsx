'use client';

import { useEffect, useRef } from 'react';
import type { TApiError } from '@/components/api';
import type { TTranslate } from './format';

/**
 * Shows what the API said, always: the problem's message, field errors without a field on screen, and
 * for 409 the "someone changed this meanwhile" text with a reload button. Takes focus so keyboard and
 * screen-reader users land on it.
 */
export function ApiErrorAlert({ error, t, shownFields = [], className = '' }: { error: TApiError | null; t: TTranslate; shownFields?: string[]; className?: string }) {
  const ref = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const conflict = error.status === 409;
  const extra = Object.entries(error.fieldErrors ?? {}).filter(([k]) => !shownFields.includes(k));
  const fixed = t('case.error.conflict');
  return (
    <div ref={ref} tabIndex={-1} className={`alert ${conflict ? 'alert-warning' : 'alert-danger'} ${className}`} role="alert" data-testid="api-error">
      {conflict ? (
        <>
          <p className="mb-2 fw-semibold">{fixed}</p>
          {error.message && !error.message.startsWith(fixed.slice(0, 30)) && <p className="mb-2 small">{error.message}</p>}
          <button type="button" className="btn btn-sm btn-warning" onClick={() => window.location.reload()}>
            {t('case.error.reload')}
          </button>
        </>
      ) : (
        <>
          <p className={extra.length ? 'mb-1' : 'mb-0'}>{error.message || t('case.error.generic')}</p>
          {extra.length > 0 && (
            <ul className="mb-0 small">
              {extra.map(([k, m]) => (
                <li key={k}>{m}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

export function toApiError(e: unknown): TApiError {
  if (e && typeof e === 'object' && 'status' in e) return e as TApiError;
  const err = new Error(e instanceof Error ? e.message : String(e)) as TApiError;
  err.status = 0;
  return err;
}
