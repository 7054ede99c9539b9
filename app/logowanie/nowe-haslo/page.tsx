import type { Metadata } from 'next';
import { getTranslator } from '@/lib/i18n/server';
import { SetPasswordForm } from './set-password-form';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Ustaw hasło' };

export default async function SetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const { t } = await getTranslator();
  return (
    <div className="row justify-content-center">
      <div className="col-md-6 col-lg-5">
        <h1 className="h3 mb-3">{t('auth.setPassword')}</h1>
        {token ? (
          <SetPasswordForm
            token={token}
            texts={{ next: t('auth.newPassword'), repeat: t('auth.repeatPassword'), submit: t('auth.setPassword'), done: t('auth.passwordSet'), differ: t('auth.passwordsDiffer'), rule: t('auth.passwordRule'), signIn: t('auth.signIn') }}
          />
        ) : (
          <div className="alert alert-warning">Brak tokenu w linku. Otwórz link z wiadomości od administratora.</div>
        )}
      </div>
    </div>
  );
}
