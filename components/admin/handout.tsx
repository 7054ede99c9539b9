'use client';

import { useEffect, useRef, useState } from 'react';
import { translator, type TLocale } from '@/lib/i18n/messages';

/**
 * A one-time password or a reset link, shown exactly once: the server keeps only its hash, so the box
 * says so and offers a copy button. Takes the focus so a screen reader announces it.
 */
export function CredentialHandout({ locale, who, oneTimePassword, resetLink, onClose }: { locale: TLocale; who: string; oneTimePassword?: string; resetLink?: string; onClose: () => void }) {
  const t = translator(locale);
  const ref = useRef<HTMLDivElement>(null);
  const [copied, setCopied] = useState(false);
  const secret = oneTimePassword ?? resetLink ?? '';
  useEffect(() => ref.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // Clipboard access can be refused (insecure origin, permissions): the value stays selectable on screen.
      setCopied(false);
    }
  }

  return (
    <div className="alert alert-warning border-warning border-2 mb-4" role="region" aria-labelledby="handout-title" tabIndex={-1} ref={ref} data-testid="credential-handout">
      <h2 id="handout-title" className="h5">
        {oneTimePassword ? t('admin.handout.otpTitle') : t('admin.handout.linkTitle')}: {who}
      </h2>
      <p className="mb-2">{oneTimePassword ? t('admin.handout.otpHelp') : t('admin.handout.linkHelp')}</p>
      <div className="input-group mb-2">
        {oneTimePassword ? (
          <input className="form-control font-monospace fs-5" readOnly value={secret} aria-label={t('admin.handout.otpTitle')} data-testid="handout-secret" onFocus={(e) => e.currentTarget.select()} />
        ) : (
          // A link is long: a wrapping box shows all of it, so the administrator can check what they copy.
          <textarea className="form-control font-monospace small text-break" rows={2} readOnly value={secret} aria-label={t('admin.handout.linkTitle')} data-testid="handout-secret" onFocus={(e) => e.currentTarget.select()} />
        )}
        <button type="button" className="btn btn-dark" onClick={copy}>
          {t('admin.handout.copy')}
        </button>
      </div>
      <p className="mb-2 small" role="status">{copied ? t('admin.handout.copied') : ''}</p>
      <p className="fw-semibold mb-3">⚠ {t('admin.handout.warning')}</p>
      <button type="button" className="btn btn-outline-dark btn-sm" onClick={onClose}>
        {t('admin.handout.close')}
      </button>
    </div>
  );
}
