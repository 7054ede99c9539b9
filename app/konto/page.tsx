import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentPrincipal } from '@/lib/auth/session';
import { describeMe } from '@/lib/auth/me';
import { getTranslator } from '@/lib/i18n/server';
import { PasswordForm } from './password-form';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Moje konto' };

export default async function AccountPage() {
  const principal = await currentPrincipal();
  if (!principal) redirect('/logowanie?callbackUrl=/konto');
  const me = await describeMe(principal);
  const { locale, t } = await getTranslator();
  return (
    <div className="row g-4">
      <div className="col-lg-7">
        <h1 className="h3">{t('auth.account')}</h1>
        <p className="mb-1"><strong>{me.name}</strong></p>
        <p className="text-secondary">{me.email}</p>
        {me.memberships.length > 0 && (
          <table className="table table-sm">
            <caption className="visually-hidden">Przynależności</caption>
            <thead>
              <tr>
                <th scope="col">Instytucja</th>
                <th scope="col">Rola</th>
              </tr>
            </thead>
            <tbody>
              {me.memberships.map((m) => (
                <tr key={`${m.institutionId}-${m.role}`}>
                  <td>{m.institutionName}</td>
                  <td>{(locale === 'en' && m.roleLabel.en) || m.roleLabel.pl}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {me.regionAdminOf.length > 0 && <p className="badge text-bg-secondary">Administrator regionu</p>}
        {me.platformAdmin && <p className="badge text-bg-dark">Administrator platformy</p>}
      </div>
      <div className="col-lg-5">
        <h2 className="h5">{t('auth.changePassword')}</h2>
        {principal.mustChangePassword && (
          <div className="alert alert-warning" role="status">
            {t('auth.mustChange')}
          </div>
        )}
        <PasswordForm
          texts={{
            current: t('auth.currentPassword'),
            next: t('auth.newPassword'),
            repeat: t('auth.repeatPassword'),
            submit: t('auth.changePassword'),
            done: t('auth.passwordChanged'),
            differ: t('auth.passwordsDiffer'),
            rule: t('auth.passwordRule'),
          }}
        />
      </div>
    </div>
  );
}
