import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentPrincipal } from '@/lib/auth/session';
import { listOrgUnits } from '@/lib/orgs/org-units';
import { getLocale } from '@/lib/i18n/server';
import { caseTranslator } from '@/components/cases/format';
import { NewCaseForm, type TActingInstitution } from '@/components/cases/new-case-form';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Nowa sprawa' };

export default async function NewCasePage() {
  const principal = await currentPrincipal();
  if (!principal) redirect('/logowanie?callbackUrl=/sprawy/nowa');
  const locale = await getLocale();
  const t = caseTranslator(locale);
  const creators = principal.memberships.filter((m) => m.permissions.includes('case.create'));
  const units = await listOrgUnits(principal);
  const gminas = units.filter((u) => u.kind === 'gmina');
  // A case belongs to a gmina inside the scope of the membership the user acts through.
  const acting: TActingInstitution[] = creators.map((m) => ({
    id: m.institutionId,
    name: m.institutionName,
    gminas: gminas
      .filter((g) => g.regionId === m.scope.regionId && (m.scope.gminaId ? g._id === m.scope.gminaId : m.scope.powiatId ? g.powiatId === m.scope.powiatId : true))
      .map((g) => ({ id: g._id, name: g.name })),
  }));
  return (
    <>
      <nav aria-label={t('case.breadcrumb')} className="mb-2">
        <Link href="/sprawy">← {t('case.list.title')}</Link>
      </nav>
      <h1 className="h3 mb-3">{t('case.new.title')}</h1>
      {acting.length ? (
        <NewCaseForm institutions={acting} locale={locale} />
      ) : (
        <div className="alert alert-warning" role="alert">
          {t('case.new.noPermission')}
        </div>
      )}
    </>
  );
}
