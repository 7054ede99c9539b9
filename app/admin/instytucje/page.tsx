import type { Metadata } from 'next';
import { getTranslator } from '@/lib/i18n/server';
import { listOrgUnits } from '@/lib/orgs/org-units';
import { listInstitutions } from '@/lib/orgs/institutions';
import { InstitutionsAdmin } from '@/components/admin/institutions-admin';
import { loadAdminAccess, loadPackInfo, toPlain } from '../admin-data';
import { AdminFrame } from '../admin-frame';
import { NoAccess } from '../no-access';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Instytucje' };

export default async function InstitutionsPage({ searchParams }: { searchParams: Promise<{ unit?: string; type?: string }> }) {
  const { locale, t } = await getTranslator();
  const access = await loadAdminAccess('/admin/instytucje');
  if (!access) return <NoAccess locale={locale} />;
  const sp = await searchParams;
  const units = await listOrgUnits(access.principal);
  // Only filter by a unit the user can see; an unknown id in the address would otherwise be a 404 page.
  const unit = units.find((u) => u._id === sp.unit)?._id;
  const type = sp.type?.slice(0, 100) || undefined;
  const institutions = await listInstitutions(access.principal, { orgUnitId: unit, type });
  const regionIds = [...new Set([...access.regionIds, ...units.filter((u) => u.kind === 'region').map((u) => u._id)])];
  return (
    <AdminFrame access={access} locale={locale}>
      <h1 className="h3 mb-3">{t('admin.institutions.title')}</h1>
      <InstitutionsAdmin
        locale={locale}
        institutions={toPlain(institutions)}
        units={toPlain(units)}
        packs={await loadPackInfo(regionIds)}
        canManage={access.canManageOrg}
        filter={{ unit: unit ?? '', type: type ?? '' }}
      />
    </AdminFrame>
  );
}
