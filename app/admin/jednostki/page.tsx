import type { Metadata } from 'next';
import { getTranslator } from '@/lib/i18n/server';
import { listOrgUnits } from '@/lib/orgs/org-units';
import { OrgUnitsAdmin } from '@/components/admin/org-units-admin';
import { loadAdminAccess, toPlain } from '../admin-data';
import { AdminFrame } from '../admin-frame';
import { NoAccess } from '../no-access';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Jednostki' };

export default async function OrgUnitsPage() {
  const { locale, t } = await getTranslator();
  const access = await loadAdminAccess('/admin/jednostki');
  if (!access) return <NoAccess locale={locale} />;
  const units = await listOrgUnits(access.principal);
  return (
    <AdminFrame access={access} locale={locale}>
      <h1 className="h3 mb-3">{t('admin.units.title')}</h1>
      <OrgUnitsAdmin locale={locale} units={toPlain(units)} canManage={access.canManageOrg} isPlatformAdmin={access.principal.platformAdmin} />
    </AdminFrame>
  );
}
