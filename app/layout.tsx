import type { Metadata } from 'next';
import Link from 'next/link';
import 'bootstrap/dist/css/bootstrap.min.css';
import './globals.css';
import { getTranslator } from '@/lib/i18n/server';
import { currentPrincipal } from '@/lib/auth/session';
import { Suspense } from 'react';
import { SignOutButton } from '@/components/sign-out-button';
import { LanguageSwitch } from '@/components/language-switch';
import { NotificationBell } from '@/components/notifications/bell';

export const metadata: Metadata = {
  title: { default: 'Kooperacja — platforma Modeli Kooperacji', template: '%s · Kooperacja' },
  description: 'Wspólna praca instytucji na rzecz osób i rodzin według Modeli Kooperacji.',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const { locale, t } = await getTranslator();
  const principal = await currentPrincipal();
  const other = locale === 'pl' ? 'en' : 'pl';
  const canAdminister = Boolean(
    principal && (principal.platformAdmin || principal.regionAdminOf.length || principal.memberships.some((m) => m.permissions.some((p) => p === 'org.manage' || p === 'team.manage' || p === 'audit.read'))),
  );
  const canSeeCases = Boolean(principal?.memberships.some((m) => m.permissions.some((p) => p.startsWith('case.') || p === 'task.update')));
  const canManagePacks = Boolean(principal && (principal.platformAdmin || principal.regionAdminOf.length || principal.memberships.some((m) => m.permissions.includes('pack.manage'))));
  return (
    <html lang={locale}>
      <body>
        <a className="visually-hidden-focusable skip-link" href="#main">
          {t('nav.skip')}
        </a>
        <header className="app-header border-bottom">
          <nav className="container d-flex align-items-center justify-content-between py-2" aria-label={t('nav.home')}>
            <div className="d-flex align-items-center gap-3">
              <Link href="/" className="brand text-decoration-none">
                <span className="brand-mark" aria-hidden="true">K</span> {t('app.name')}
              </Link>
              {principal && (
                <ul className="nav small">
                  {canSeeCases && (
                    <>
                      <li className="nav-item"><Link className="nav-link px-2" href="/sprawy">{t('nav.cases')}</Link></li>
                      <li className="nav-item"><Link className="nav-link px-2" href="/zadania">{t('nav.tasks')}</Link></li>
                    </>
                  )}
                  <li className="nav-item"><Link className="nav-link px-2" href="/katalog">{t('nav.catalogue')}</Link></li>
                  {canManagePacks && <li className="nav-item"><Link className="nav-link px-2" href="/pakiety">{t('nav.packs')}</Link></li>}
                </ul>
              )}
            </div>
            <div className="d-flex align-items-center gap-2">
              {principal ? (
                <>
                  {canAdminister && (
                    <Link className="btn btn-sm btn-link" href="/admin">
                      {t('nav.admin')}
                    </Link>
                  )}
                  <NotificationBell userId={principal.userId} />
                  <Link className="btn btn-sm btn-link" href="/konto" data-testid="user-name">
                    {principal.name}
                  </Link>
                  <SignOutButton label={t('auth.signOut')} />
                </>
              ) : (
                <Link className="btn btn-sm btn-primary" href="/logowanie">
                  {t('auth.signIn')}
                </Link>
              )}
              <Suspense>
                <LanguageSwitch target={other} label={other === 'en' ? 'English' : 'Polski'} srLabel={t('nav.language')} />
              </Suspense>
            </div>
          </nav>
        </header>
        <main id="main" className="container py-4" tabIndex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
