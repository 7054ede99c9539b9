import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { currentPrincipal } from '@/lib/auth/session';
import { getCaseForm } from '@/lib/cases/submissions';
import { isAppError } from '@/lib/errors';
import { getLocale } from '@/lib/i18n/server';
import { caseTranslator } from '@/components/cases/format';
import { CaseFormView } from '@/components/cases/case-form-view';

export const dynamic = 'force-dynamic';
export const revalidate = 0;
export const metadata: Metadata = { title: 'Formularz sprawy' };

export default async function CaseFormPage({ params, searchParams }: { params: Promise<{ id: string; formKey: string }>; searchParams: Promise<{ seria?: string | string[] }> }) {
  const { id, formKey } = await params;
  const sp = await searchParams;
  const seriesId = (Array.isArray(sp.seria) ? sp.seria[0] : sp.seria) || undefined;
  const principal = await currentPrincipal();
  if (!principal) redirect(`/logowanie?callbackUrl=${encodeURIComponent(`/sprawy/${id}/formularze/${formKey}${seriesId ? `?seria=${seriesId}` : ''}`)}`);
  const locale = await getLocale();
  const t = caseTranslator(locale);
  let view;
  try {
    view = await getCaseForm(principal, id, formKey, { seriesId, locale });
  } catch (e) {
    if (isAppError(e) && e.code === 'not_found') notFound();
    if (isAppError(e) && e.code === 'forbidden') {
      return (
        <>
          <nav aria-label={t('case.breadcrumb')} className="mb-2">
            <Link href={`/sprawy/${id}`}>← {t('case.form.back')}</Link>
          </nav>
          <div className="alert alert-warning" role="alert">
            {e.message}
          </div>
        </>
      );
    }
    throw e;
  }
  return (
    <>
      <nav aria-label={t('case.breadcrumb')} className="mb-2">
        <Link href={`/sprawy/${id}`}>
          ← {t('case.form.backTo', { number: view.caseNumber })}
        </Link>
      </nav>
      <CaseFormView
        key={`${formKey}:${seriesId ?? ''}`}
        caseId={id}
        caseNumber={view.caseNumber}
        subjectName={view.subjectName}
        view={{ ...view, form: view.form }}
        seriesId={seriesId}
        locale={locale}
      />
    </>
  );
}
