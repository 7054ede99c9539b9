import type { Metadata } from 'next';
import { getTranslator } from '@/lib/i18n/server';
import { listOrgUnits } from '@/lib/orgs/org-units';
import { listInstitutions } from '@/lib/orgs/institutions';
import { listUsers } from '@/lib/orgs/users';
import { listTeams } from '@/lib/orgs/teams';
import { TeamsAdmin } from '@/components/admin/teams-admin';
import { loadAdminAccess, loadPackInfo, toPlain } from '../admin-data';
import { AdminFrame } from '../admin-frame';
import { NoAccess } from '../no-access';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Zespoły' };

export default async function TeamsPage() {
  const { locale, t } = await getTranslator();
  const access = await loadAdminAccess('/admin/zespoly');
  if (!access) return <NoAccess locale={locale} />;
  const { principal } = access;
  const [teams, units, institutions, users] = await Promise.all([
    listTeams(principal),
    listOrgUnits(principal),
    listInstitutions(principal),
    access.canManageOrg ? listUsers(principal) : Promise.resolve([]),
  ]);
  const regionIds = [...new Set([...access.regionIds, ...teams.map((x) => x.regionId)])];
  return (
    <AdminFrame access={access} locale={locale}>
      <h1 className="h3 mb-1">{t('admin.teams.title')}</h1>
      <p className="text-secondary">{t('admin.teams.lead')}</p>
      <TeamsAdmin
        locale={locale}
        teams={toPlain(teams)}
        units={toPlain(units)}
        institutions={toPlain(institutions)}
        people={users.map((u) => ({ id: u._id, name: u.name, institutionIds: u.memberships.map((m) => m.institutionId) }))}
        packs={await loadPackInfo(regionIds)}
        canManage={access.canManageTeams}
      />
    </AdminFrame>
  );
}
