'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { TApiError } from '@/components/api';

/**
 * The small kit every admin form uses: a labelled field with its API error next to it, a submit button
 * with a busy state, and an action hook that turns API errors into an alert that takes the focus.
 */

export interface TActionState {
  busy: boolean;
  error?: { message: string; fields: Record<string, string> };
  success?: string;
  /** Bumped on every outcome, so the alert takes the focus again even when the text repeats. */
  seq: number;
}

export function useAction(opts: { conflictMessage?: string } = {}) {
  const [state, setState] = useState<TActionState>({ busy: false, seq: 0 });

  async function run<T>(fn: () => Promise<T>, onSuccess?: (result: T) => string | undefined): Promise<T | undefined> {
    setState((s) => ({ busy: true, seq: s.seq }));
    try {
      const result = await fn();
      setState((s) => ({ busy: false, success: onSuccess?.(result), seq: s.seq + 1 }));
      return result;
    } catch (err) {
      const e = err as TApiError;
      const fields = e.fieldErrors ?? {};
      // A lost race on `revision` is a 409 without field errors: the data on screen is stale.
      const message = e.status === 409 && opts.conflictMessage && !Object.keys(fields).length ? opts.conflictMessage : e.message;
      setState((s) => ({ busy: false, error: { message, fields }, seq: s.seq + 1 }));
      return undefined;
    }
  }

  return {
    ...state,
    run,
    fieldError: (name: string) => state.error?.fields[name],
    clear: () => setState((s) => ({ busy: false, seq: s.seq })),
  };
}

export type TAction = ReturnType<typeof useAction>;

/** The outcome of the last action: an alert (errors) or a status (success); focused when it appears. */
export function FormAlert({ action, testId }: { action: TAction; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const { seq, error, success } = action;
  useEffect(() => {
    if (seq > 0) ref.current?.focus();
  }, [seq]);
  if (error) {
    return (
      <div className="alert alert-danger" role="alert" tabIndex={-1} ref={ref} data-testid={testId ?? 'form-error'}>
        {error.message}
      </div>
    );
  }
  if (success) {
    return (
      <div className="alert alert-success" role="status" tabIndex={-1} ref={ref} data-testid={testId ? `${testId}-ok` : 'form-ok'}>
        {success}
      </div>
    );
  }
  return null;
}

/** A success line outside the form that produced it (the form closed); takes the focus when it changes. */
export function Notice({ text, seq }: { text?: string; seq: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (seq > 0) ref.current?.focus();
  }, [seq]);
  if (!text) return null;
  return (
    <div className="alert alert-success py-2" role="status" tabIndex={-1} ref={ref} data-testid="notice">
      {text}
    </div>
  );
}

interface TFieldProps {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  className?: string;
}

function Feedback({ id, error, hint }: { id: string; error?: string; hint?: string }) {
  return (
    <>
      {hint && <div id={`${id}-hint`} className="form-text">{hint}</div>}
      {error && <div id={`${id}-error`} className="invalid-feedback d-block">{error}</div>}
    </>
  );
}

function describedBy(id: string, error?: string, hint?: string): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

export function TextField({ id, label, error, hint, className, ...input }: TFieldProps & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className={className ?? 'mb-3'}>
      <label htmlFor={id} className="form-label">
        {label}
        {input.required && <span className="text-danger" aria-hidden="true"> *</span>}
      </label>
      <input id={id} className={`form-control ${error ? 'is-invalid' : ''}`} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...input} />
      <Feedback id={id} error={error} hint={hint} />
    </div>
  );
}

export function SelectField({ id, label, error, hint, className, options, placeholder, ...select }: TFieldProps & React.SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[]; placeholder?: string }) {
  return (
    <div className={className ?? 'mb-3'}>
      <label htmlFor={id} className="form-label">
        {label}
        {select.required && <span className="text-danger" aria-hidden="true"> *</span>}
      </label>
      <select id={id} className={`form-select ${error ? 'is-invalid' : ''}`} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...select}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Feedback id={id} error={error} hint={hint} />
    </div>
  );
}

export function SubmitButton({ busy, label, busyLabel, className, onClick, type = 'submit', testId }: { busy: boolean; label: string; busyLabel: string; className?: string; onClick?: () => void; type?: 'submit' | 'button'; testId?: string }) {
  return (
    <button type={type} className={className ?? 'btn btn-primary'} disabled={busy} aria-busy={busy || undefined} onClick={onClick} data-testid={testId}>
      {busy && <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />}
      {busy ? busyLabel : label}
    </button>
  );
}

/** A titled card section. */
export function Panel({ title, children, headingId }: { title: string; children: ReactNode; headingId: string }) {
  return (
    <section className="card shadow-sm mb-4" aria-labelledby={headingId}>
      <div className="card-body">
        <h2 id={headingId} className="h5 card-title mb-3">{title}</h2>
        {children}
      </div>
    </section>
  );
}
