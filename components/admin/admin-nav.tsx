'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { translator, type TLocale, type TMessageKey } from '@/lib/i18n/messages';

const LINKS: { href: string; key: TMessageKey; needs?: 'users' | 'audit' }[] = [
  { href: '/admin', key: 'admin.nav.overview' },
  { href: '/admin/jednostki', key: 'admin.nav.units' },
  { href: '/admin/instytucje', key: 'admin.nav.institutions' },
  { href: '/admin/uzytkownicy', key: 'admin.nav.users', needs: 'users' },
  { href: '/admin/zespoly', key: 'admin.nav.teams' },
  { href: '/admin/audyt', key: 'admin.nav.audit', needs: 'audit' },
];

export function AdminNav({ locale, show }: { locale: TLocale; show: { users: boolean; audit: boolean } }) {
  const t = translator(locale);
  const pathname = usePathname();
  return (
    <nav aria-label={t('admin.nav.label')} className="mb-4">
      <ul className="nav nav-tabs">
        {LINKS.filter((l) => !l.needs || show[l.needs]).map((l) => {
          const current = l.href === '/admin' ? pathname === '/admin' : pathname.startsWith(l.href);
          return (
            <li className="nav-item" key={l.href}>
              <Link className={`nav-link ${current ? 'active' : ''}`} href={l.href} aria-current={current ? 'page' : undefined}>
                {t(l.key)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
