import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { env } from '@/lib/env';
import { currentPrincipal } from '@/lib/auth/session';
import { getTranslator } from '@/lib/i18n/server';
import { SignInForm } from './sign-in-form';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Logowanie' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const sp = await searchParams;
  const callbackUrl = sp.callbackUrl?.startsWith('/') && !sp.callbackUrl.startsWith('//') ? sp.callbackUrl : '/';
  if (await currentPrincipal()) redirect(callbackUrl);
  const { t } = await getTranslator();
  const e = env();
  return (
    <div className="row justify-content-center">
      <div className="col-md-6 col-lg-5">
        <h1 className="h3 mb-3">{t('auth.signIn')}</h1>
        <SignInForm
          callbackUrl={callbackUrl}
          initialError={sp.error}
          oidc={e.OIDC_ISSUER ? { name: e.OIDC_NAME } : undefined}
          texts={{
            email: t('auth.email'),
            password: t('auth.password'),
            submit: t('auth.submit'),
            submitting: t('auth.submitting'),
            wrong: t('auth.wrong'),
            or: t('auth.or'),
            oidcNoAccount: t('auth.oidcNoAccount'),
            generic: t('auth.generic'),
          }}
        />
      </div>
    </div>
  );
}
