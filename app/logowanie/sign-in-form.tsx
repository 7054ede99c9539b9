'use client';

import { useState } from 'react';
import { signIn } from 'next-auth/react';

interface TTexts {
  email: string;
  password: string;
  submit: string;
  submitting: string;
  wrong: string;
  or: string;
  oidcNoAccount: string;
  generic: string;
}

/** next-auth error codes → what the user should read. A lockout message comes from the server as is. */
function messageFor(code: string | undefined, texts: TTexts): string | undefined {
  if (!code) return undefined;
  if (code === 'CredentialsSignin') return texts.wrong;
  if (code === 'OidcNoAccount' || code === 'AccessDenied') return texts.oidcNoAccount;
  if (/^[A-Za-z]+$/.test(code)) return texts.generic;
  return code;
}

export function SignInForm({ callbackUrl, initialError, oidc, texts }: { callbackUrl: string; initialError?: string; oidc?: { name: string }; texts: TTexts }) {
  const [error, setError] = useState(messageFor(initialError, texts));
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    const res = await signIn('credentials', { email: form.get('email'), password: form.get('password'), redirect: false });
    if (res?.ok && !res.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setBusy(false);
    setError(messageFor(res?.error ?? 'CredentialsSignin', texts));
  }

  return (
    <div className="card shadow-sm">
      <div className="card-body">
        {error && (
          <div className="alert alert-danger" role="alert" data-testid="sign-in-error">
            {error}
          </div>
        )}
        <form onSubmit={onSubmit} noValidate={false}>
          <div className="mb-3">
            <label htmlFor="email" className="form-label">{texts.email}</label>
            <input id="email" name="email" type="email" autoComplete="username" required className="form-control" autoFocus />
          </div>
          <div className="mb-3">
            <label htmlFor="password" className="form-label">{texts.password}</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required className="form-control" />
          </div>
          <button type="submit" className="btn btn-primary w-100" disabled={busy}>
            {busy ? texts.submitting : texts.submit}
          </button>
        </form>
        {oidc && (
          <>
            <div className="text-center text-secondary my-3">{texts.or}</div>
            <button type="button" className="btn btn-outline-primary w-100" onClick={() => signIn('oidc', { callbackUrl })}>
              {oidc.name}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
