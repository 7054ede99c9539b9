'use client';

import { useState } from 'react';
import Link from 'next/link';
import { apiFetch, type TApiError } from '@/components/api';

export function SetPasswordForm({ token, texts }: { token: string; texts: Record<'next' | 'repeat' | 'submit' | 'done' | 'differ' | 'rule' | 'signIn', string> }) {
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    if (data.get('newPassword') !== data.get('repeat')) return setStatus({ ok: false, text: texts.differ });
    setBusy(true);
    try {
      await apiFetch('/api/password/reset', { method: 'POST', body: { token, newPassword: data.get('newPassword') } });
      setStatus({ ok: true, text: texts.done });
    } catch (err) {
      setStatus({ ok: false, text: (err as TApiError).fieldErrors?.newPassword ?? (err as TApiError).message });
    } finally {
      setBusy(false);
    }
  }

  if (status?.ok) {
    return (
      <div className="alert alert-success" role="status">
        {status.text} <Link href="/logowanie">{texts.signIn}</Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="card card-body shadow-sm">
      {status && <div className="alert alert-danger" role="alert">{status.text}</div>}
      <div className="mb-3">
        <label className="form-label" htmlFor="newPassword">{texts.next}</label>
        <input className="form-control" id="newPassword" name="newPassword" type="password" autoComplete="new-password" minLength={12} required aria-describedby="rule" />
        <div id="rule" className="form-text">{texts.rule}</div>
      </div>
      <div className="mb-3">
        <label className="form-label" htmlFor="repeat">{texts.repeat}</label>
        <input className="form-control" id="repeat" name="repeat" type="password" autoComplete="new-password" required />
      </div>
      <button className="btn btn-primary" type="submit" disabled={busy}>{texts.submit}</button>
    </form>
  );
}
