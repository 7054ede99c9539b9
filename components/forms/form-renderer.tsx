'use client';

import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import '@formio/js/dist/formio.full.min.css';
import './form-renderer.css';
import type { TApiError } from '@/components/api';
import { FORMIO_I18N } from '@/lib/forms/formio-i18n';

/**
 * The one Form.io renderer of the app (STACK-NOTES "Form.io in the App Router"): @formio/react touches
 * `document` at import, so it is loaded only in the browser; Form.io is pointed at our origin and at the
 * self-hosted libraries in public/formio-cdn (datetime calendar, editors) before the first form is built.
 * Forms here carry no buttons: this wrapper renders the submit button, runs Form.io's client validation,
 * hands the data to `onSubmit` and shows server field errors inline and in one alert above the form.
 */

export type TFormData = Record<string, unknown>;

export interface TFormRendererProps {
  form: object;
  submission?: { data: TFormData };
  readOnly?: boolean;
  language?: 'pl' | 'en';
  /** May throw a TApiError whose `fieldErrors` keys are `data.<path>` or `<path>`. */
  onSubmit?: (data: TFormData) => Promise<void>;
  /** User changes only (not the initial load), debounced ~800 ms; a pending call is flushed on unmount. */
  onChange?: (data: TFormData) => void;
  submitLabel?: string;
  busy?: boolean;
}

/** The slice of the Form.io Webform instance this wrapper uses (the package types it loosely). */
interface TFormioError {
  message: string;
  path?: string | (string | number)[];
  context?: { path?: string; label?: string };
  component?: { key?: string; label?: string };
  fromServer?: boolean;
  level?: string;
}
interface TWebform {
  submission: { data: TFormData };
  submitted: boolean;
  serverErrors?: TFormioError[];
  setPristine(pristine: boolean): void;
  validate(data: TFormData, flags: Record<string, unknown>): TFormioError[];
  showErrors(errors: TFormioError[], triggerEvent?: boolean): TFormioError[];
  clearServerErrors?(): void;
  focusOnComponent(key: string): void;
  redraw(): Promise<void>;
}

const TEXT = {
  pl: {
    loading: 'Wczytywanie formularza…',
    submit: 'Zapisz',
    busy: 'Zapisywanie…',
    invalid: 'Formularz zawiera błędy. Popraw zaznaczone pola:',
    serverInvalid: 'Serwer nie przyjął formularza:',
    goTo: 'Przejdź do pola',
    failed: 'Nie udało się wysłać formularza.',
  },
  en: {
    loading: 'Loading the form…',
    submit: 'Save',
    busy: 'Saving…',
    invalid: 'The form has errors. Correct the marked fields:',
    serverInvalid: 'The server did not accept the form:',
    goTo: 'Go to the field',
    failed: 'The form could not be sent.',
  },
} as const;

const CHANGE_DEBOUNCE_MS = 800;

type TFormioGlobal = { setBaseUrl(url: string): void; cdn: { setBaseUrl(url: string): void }; Evaluator: { noeval: boolean }; __kooperacjaConfigured?: boolean };

function configureFormio(Formio: TFormioGlobal): void {
  if (Formio.__kooperacjaConfigured) return;
  const origin = window.location.origin;
  // Without these, relative URLs go to Form.io's hosted API and lazy libraries to cdn.form.io.
  Formio.setBaseUrl(origin);
  Formio.cdn.setBaseUrl(`${origin}/formio-cdn`);
  // No string is ever evaluated as code, as on the server: Form.io then interpolates `{{ }}` without
  // lodash templates (new Function), which is what lets the CSP go without 'unsafe-eval' (next.config.js).
  Formio.Evaluator.noeval = true;
  Formio.__kooperacjaConfigured = true;
}

function Placeholder() {
  return (
    <div className="placeholder-glow py-3" aria-busy="true" data-testid="form-loading">
      <span className="visually-hidden">{TEXT.pl.loading}</span>
      <span className="placeholder col-4 mb-2 d-block" />
      <span className="placeholder col-12 mb-3 d-block" style={{ height: '2.25rem' }} />
      <span className="placeholder col-3 mb-2 d-block" />
      <span className="placeholder col-12 d-block" style={{ height: '4.5rem' }} />
    </div>
  );
}

const FormioForm = dynamic(
  async () => {
    const [react, js] = await Promise.all([import('@formio/react'), import('@formio/js')]);
    configureFormio(js.Formio as unknown as TFormioGlobal);
    return react.Form;
  },
  { ssr: false, loading: Placeholder },
);

interface TAlert {
  kind: 'client' | 'server' | 'failure';
  message: string;
  items: { path: string; message: string }[];
}

function pathOf(e: TFormioError): string {
  if (Array.isArray(e.path)) return e.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return e.path ?? e.context?.path ?? e.component?.key ?? '';
}

/** `data.zadania[1].zadanie` / `body.data.x` → the Form.io component path. */
function toComponentPath(key: string): string {
  return key.replace(/^body\./, '').replace(/^data\./, '');
}

export function FormRenderer({ form, submission, readOnly = false, language = 'pl', onSubmit, onChange, submitLabel, busy = false }: TFormRendererProps) {
  const t = TEXT[language];
  const instanceRef = useRef<TWebform | null>(null);
  const alertRef = useRef<HTMLDivElement | null>(null);
  const [ready, setReady] = useState(false);
  const [alert, setAlert] = useState<TAlert | null>(null);
  const [submitting, setSubmitting] = useState(false);

  // @formio/react rebuilds the form whenever `src`, `options` or `onFormReady` change identity.
  const src = useMemo(() => structuredClone(form), [form]);
  const options = useMemo(() => ({ readOnly, language, i18n: FORMIO_I18N, noAlerts: true }), [readOnly, language]);
  // Only the first submission is handed to Form.io; later renders must not overwrite what the user typed.
  const [initialSubmission] = useState(() => (submission ? structuredClone(submission) : undefined));

  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);
  const pending = useRef<{ timer: ReturnType<typeof setTimeout>; data: TFormData } | null>(null);
  const flush = useCallback(() => {
    const p = pending.current;
    if (!p) return;
    clearTimeout(p.timer);
    pending.current = null;
    onChangeRef.current?.(p.data);
  }, []);
  useEffect(() => flush, [flush]);

  const handleChange = useCallback(
    (value: { data?: TFormData } | undefined, _flags: unknown, modified: boolean) => {
      // Form.io also emits changes while it builds and sets the initial value; only user edits count.
      if (!modified || !onChangeRef.current || !value?.data) return;
      if (pending.current) clearTimeout(pending.current.timer);
      const data = structuredClone(value.data);
      pending.current = { data, timer: setTimeout(flush, CHANGE_DEBOUNCE_MS) };
    },
    [flush],
  );

  const handleReady = useCallback((instance: unknown) => {
    instanceRef.current = instance as TWebform;
    setReady(true);
  }, []);

  useEffect(() => {
    if (alert) alertRef.current?.focus();
  }, [alert]);

  const focusField = (path: string) => instanceRef.current?.focusOnComponent(path);

  async function handleSubmit() {
    const instance = instanceRef.current;
    if (!instance || !onSubmit || submitting || busy) return;
    instance.clearServerErrors?.();
    instance.serverErrors = [];
    // As Form.io's own submit does: later edits re-validate visibly, every field counts as touched.
    instance.submitted = true;
    instance.setPristine(false);
    const data = structuredClone(instance.submission.data ?? {});
    const errors = instance.validate(data, { dirty: true, silentCheck: false, process: 'submit' });
    if (errors.length) {
      instance.showErrors(errors, true);
      setAlert({ kind: 'client', message: t.invalid, items: errors.map((e) => ({ path: pathOf(e), message: e.message })) });
      return;
    }
    setAlert(null);
    setSubmitting(true);
    try {
      flush();
      await onSubmit(data);
    } catch (err) {
      const apiErr = err as Partial<TApiError>;
      const fieldErrors = Object.entries(apiErr.fieldErrors ?? {}).map(([key, message]) => ({ path: toComponentPath(key), message }));
      if (fieldErrors.length) {
        const serverErrors: TFormioError[] = fieldErrors.map((e) => ({ path: e.path, message: e.message, fromServer: true, level: 'error' }));
        instance.serverErrors = serverErrors;
        instance.showErrors(serverErrors, true);
        setAlert({ kind: 'server', message: apiErr.message || t.serverInvalid, items: fieldErrors });
      } else {
        setAlert({ kind: 'failure', message: apiErr.message || t.failed, items: [] });
      }
    } finally {
      setSubmitting(false);
    }
  }

  const isBusy = busy || submitting;
  return (
    <div className="form-renderer" lang={language}>
      {alert && (
        <div ref={alertRef} tabIndex={-1} className="alert alert-danger" role="alert" data-testid="form-errors">
          <p className={alert.items.length ? 'mb-2' : 'mb-0'}>{alert.message}</p>
          {alert.items.length > 0 && (
            <ul className="mb-0">
              {alert.items.map((item, i) => (
                <li key={`${item.path}-${i}`}>
                  {item.path ? (
                    <button type="button" className="btn btn-link p-0 align-baseline text-start" onClick={() => focusField(item.path)} title={t.goTo}>
                      {item.message}
                    </button>
                  ) : (
                    item.message
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {/* @formio/react shows the form, then sets it again and rebuilds it before it is ready: input typed
          in between would be lost, so the form takes no input until ready. */}
      <div inert={!ready} aria-busy={!ready} className={ready ? undefined : 'opacity-75'}>
        <FormioForm src={src as never} submission={initialSubmission as never} options={options as never} onFormReady={handleReady as never} onChange={handleChange} />
      </div>
      {!readOnly && onSubmit && (
        <div className="d-flex gap-2 align-items-center mt-3">
          <button type="button" className="btn btn-primary" onClick={handleSubmit} disabled={!ready || isBusy} aria-busy={isBusy} data-testid="form-submit">
            {isBusy && <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />}
            {isBusy ? t.busy : (submitLabel ?? t.submit)}
          </button>
        </div>
      )}
    </div>
  );
}
