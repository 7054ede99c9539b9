'use client';

import { useState } from 'react';
import { apiFetch, type TApiError } from '@/components/api';

interface TTexts {
  current: string;
  next: string;
  repeat: string;
  submit: string;
  done: string;
  differ: string;
  rule: string;
}

export function PasswordForm({ texts }: { texts: TTexts }) {
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string; fields?: Record<string, string> }>();
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    if (data.get('newPassword') !== data.get('repeat')) {
      setStatus({ kind: 'error', text: texts.differ, fields: { repeat: texts.differ } });
      return;
    }
    setBusy(true);
    try {
      await apiFetch('/api/me/password', { method: 'POST', body: { currentPassword: data.get('currentPassword'), newPassword: data.get('newPassword') } });
      form.reset();
      setStatus({ kind: 'ok', text: texts.done });
    } catch (err) {
      const e = err as TApiError;
      setStatus({ kind: 'error', text: e.message, fields: e.fieldErrors });
    } finally {
      setBusy(false);
    }
  }

  const invalid = (name: string) => (status?.fields?.[name] ? 'is-invalid' : '');
  return (
    <form onSubmit={onSubmit}>
      {status && (
        <div className={`alert ${status.kind === 'ok' ? 'alert-success' : 'alert-danger'}`} role={status.kind === 'ok' ? 'status' : 'alert'}>
          {status.text}
        </div>
      )}
      <div className="mb-3">
        <label className="form-label" htmlFor="currentPassword">{texts.current}</label>
        <input className={`form-control ${invalid('currentPassword')}`} id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required />
        {status?.fields?.currentPassword && <div className="invalid-feedback">{status.fields.currentPassword}</div>}
      </div>
      <div className="mb-3">
        <label className="form-label" htmlFor="newPassword">{texts.next}</label>
        <input className={`form-control ${invalid('newPassword')}`} id="newPassword" name="newPassword" type="password" autoComplete="new-password" minLength={12} required aria-describedby="password-rule" />
        <div id="password-rule" className="form-text">{texts.rule}</div>
        {status?.fields?.newPassword && <div className="invalid-feedback">{status.fields.newPassword}</div>}
      </div>
      <div className="mb-3">
        <label className="form-label" htmlFor="repeat">{texts.repeat}</label>
        <input className={`form-control ${invalid('repeat')}`} id="repeat" name="repeat" type="password" autoComplete="new-password" required />
        {status?.fields?.repeat && <div className="invalid-feedback">{status.fields.repeat}</div>}
      </div>
      <button className="btn btn-primary" type="submit" disabled={busy}>{texts.submit}</button>
    </form>
  );
}
