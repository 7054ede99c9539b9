import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslator } from '@/lib/i18n/server';
import { listOrgUnits } from '@/lib/orgs/org-units';
import { listManagedInstitutions } from '@/lib/orgs/institutions';
import { listUsers } from '@/lib/orgs/users';
import { listTeams } from '@/lib/orgs/teams';
import type { TMessageKey } from '@/lib/i18n/messages';
import { loadAdminAccess } from './admin-data';
import { AdminFrame } from './admin-frame';
import { NoAccess } from './no-access';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Przegląd' };

export default async function AdminOverviewPage() {
  const { locale, t } = await getTranslator();
  const access = await loadAdminAccess('/admin');
  if (!access) return <NoAccess locale={locale} />;
  const { principal } = access;
  const [units, institutions, users, teams] = await Promise.all([
    listOrgUnits(principal),
    access.canManageOrg ? listManagedInstitutions(principal) : Promise.resolve([]),
    access.canManageOrg ? listUsers(principal) : Promise.resolve([]),
    listTeams(principal),
  ]);
  const unitName = new Map(units.map((u) => [u._id, u.name]));
  const roles: string[] = [];
  if (principal.platformAdmin) roles.push(t('admin.overview.platformAdmin'));
  for (const r of principal.regionAdminOf) roles.push(`${t('admin.overview.regionAdmin')}: ${unitName.get(r) ?? r}`);
  for (const m of principal.memberships) if (m.permissions.some((p) => p === 'org.manage' || p === 'team.manage' || p === 'audit.read')) roles.push(m.institutionName);

  const cards: { href: string; title: TMessageKey; body: TMessageKey; count?: number; show: boolean }[] = [
    { href: '/admin/jednostki', title: 'admin.nav.units', body: 'admin.overview.units', count: units.length, show: true },
    { href: '/admin/instytucje', title: 'admin.nav.institutions', body: 'admin.overview.institutions', count: access.canManageOrg ? institutions.length : undefined, show: true },
    { href: '/admin/uzytkownicy', title: 'admin.nav.users', body: 'admin.overview.users', count: users.length, show: access.canManageOrg },
    { href: '/admin/zespoly', title: 'admin.nav.teams', body: 'admin.overview.teams', count: teams.length, show: true },
    { href: '/admin/audyt', title: 'admin.nav.audit', body: 'admin.overview.audit', show: access.canReadAudit },
  ];
  return (
    <AdminFrame access={access} locale={locale}>
      <h1 className="h3 mb-2">{t('admin.overview.title')}</h1>
      <p className="text-secondary mb-1">{t('admin.overview.lead')}</p>
      <ul className="list-inline mb-4" aria-label={t('admin.overview.scope')}>
        {roles.map((r) => (
          <li key={r} className="list-inline-item badge text-bg-light border">{r}</li>
        ))}
      </ul>
      <div className="row g-3">
        {cards.filter((c) => c.show).map((c) => (
          <div className="col-md-6 col-lg-4" key={c.href}>
            <article className="card h-100 shadow-sm">
              <div className="card-body">
                <h2 className="h5 card-title">
                  <Link href={c.href} className="stretched-link text-decoration-none">{t(c.title)}</Link>
                  {c.count !== undefined && <span className="badge text-bg-primary ms-2" aria-label={`${t('admin.overview.count')}: ${c.count}`}>{c.count}</span>}
                </h2>
                <p className="card-text text-secondary mb-0">{t(c.body)}</p>
              </div>
            </article>
          </div>
        ))}
      </div>
    </AdminFrame>
  );
}
