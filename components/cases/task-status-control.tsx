'use client';

import { useId, useState } from 'react';
import { apiFetch, type TApiError } from '@/components/api';
import type { TLocale } from '@/lib/i18n/messages';
import { ApiErrorAlert, toApiError } from './api-error-alert';
import { caseTranslator, TASK_STATUSES, type TTaskStatusKey } from './format';

/**
 * Quick status change of one of the user's own tasks: PATCH with the task's revision. The row stays as it
 * is (no refresh), so the confirmation stays readable even when the task leaves the current filter.
 */
export function TaskStatusControl({ taskId, revision, status, title, locale }: { taskId: string; revision: number; status: TTaskStatusKey; title: string; locale: TLocale }) {
  const t = caseTranslator(locale);
  const id = useId();
  const [current, setCurrent] = useState<{ status: TTaskStatusKey; revision: number }>({ status, revision });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<TApiError | null>(null);
  const [saved, setSaved] = useState('');

  async function change(next: TTaskStatusKey) {
    if (next === current.status) return;
    setBusy(true);
    setError(null);
    setSaved('');
    try {
      const after = await apiFetch<{ status: TTaskStatusKey; revision: number }>(`/api/tasks/${encodeURIComponent(taskId)}`, { method: 'PATCH', body: { status: next, revision: current.revision } });
      setCurrent({ status: after.status, revision: after.revision });
      setSaved(t('case.task.saved', { status: t(`case.task.status.${after.status}`) }));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="task-status-control">
      <label htmlFor={id} className="visually-hidden">
        {t('case.task.statusOf', { title })}
      </label>
      <div className="d-flex align-items-center gap-2">
        <select id={id} className="form-select form-select-sm" style={{ minWidth: '10rem' }} value={current.status} disabled={busy} aria-busy={busy} onChange={(e) => change(e.target.value as TTaskStatusKey)} data-testid="task-status">
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`case.task.status.${s}`)}
            </option>
          ))}
        </select>
        {busy && <span className="spinner-border spinner-border-sm text-secondary" role="status" aria-label={t('case.saving')} />}
      </div>
      <div aria-live="polite" className="small text-success mt-1">
        {saved}
      </div>
      <ApiErrorAlert error={error} t={t} className="mt-2 py-2 small" />
    </div>
  );
}
