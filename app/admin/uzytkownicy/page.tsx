import type { Metadata } from 'next';
import { getTranslator } from '@/lib/i18n/server';
import { listInstitutions, listManagedInstitutions } from '@/lib/orgs/institutions';
import { listUsers } from '@/lib/orgs/users';
import { listOrgUnits } from '@/lib/orgs/org-units';
import { UsersAdmin } from '@/components/admin/users-admin';
import { loadAdminAccess, loadPackInfo, toPlain } from '../admin-data';
import { AdminFrame } from '../admin-frame';
import { NoAccess } from '../no-access';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Użytkownicy' };

export default async function UsersPage() {
  const { locale, t } = await getTranslator();
  const access = await loadAdminAccess('/admin/uzytkownicy');
  if (!access?.canManageOrg) return <NoAccess locale={locale} />;
  const { principal } = access;
  const [users, managed, visible, units] = await Promise.all([listUsers(principal), listManagedInstitutions(principal), listInstitutions(principal), listOrgUnits(principal)]);
  // Region administration can be handed out only for the regions one administers oneself.
  const adminRegions = units.filter((u) => u.kind === 'region' && (principal.platformAdmin || principal.regionAdminOf.includes(u._id))).map((u) => ({ id: u._id, name: u.name }));
  const regionIds = [...new Set([...access.regionIds, ...managed.map((i) => i.regionId)])];
  return (
    <AdminFrame access={access} locale={locale}>
      <h1 className="h3 mb-3">{t('admin.users.title')}</h1>
      <UsersAdmin locale={locale} users={toPlain(users)} managedInstitutions={toPlain(managed)} institutionNames={Object.fromEntries([...visible, ...managed].map((i) => [i._id, i.name]))} packs={await loadPackInfo(regionIds)} adminRegions={adminRegions} />
    </AdminFrame>
  );
}
