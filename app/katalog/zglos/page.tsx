import type { Metadata } from 'next';
import { getCardFormFor } from '@/lib/catalogue/card-form';
import { LEVEL_LABELS } from '@/lib/catalogue/labels';
import { loadCatalogueAccess, toPlain } from '../catalogue-page-data';
import { CardSubmit } from './card-submit';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Zgłoś usługi do katalogu' };

export default async function SubmitCardPage({ searchParams }: { searchParams: Promise<{ instytucja?: string }> }) {
  const sp = await searchParams;
  const { principal } = await loadCatalogueAccess('/katalog/zglos');
  const view = await getCardFormFor(principal, sp.instytucja?.slice(0, 100));
  if (!view.form || !view.institutionId) {
    return (
      <div className="alert alert-warning" role="alert">
        Nie możesz zgłaszać usług do katalogu (brak uprawnienia „Zgłaszanie usług do katalogu” w Twojej instytucji).
      </div>
    );
  }
  const inst = view.institutions.find((i) => i.id === view.institutionId)!;
  return (
    <>
      <h1 className="h3 mb-2">Karta usług</h1>
      <p className="text-secondary">
        Wpisz usługi i aktywności, które Twoja instytucja udostępnia osobom i rodzinom — jeden wiersz to jedna usługa. Każdy wiersz stanie się wpisem w katalogu po
        zatwierdzeniu przez koordynatora. Osoba do kontaktu jest widoczna tylko dla pracowników; na publicznej liście gminy pojawia się kontakt publiczny instytucji.
      </p>
      <CardSubmit
        form={toPlain(view.form)}
        institutions={view.institutions.map((i) => ({ ...i, levelLabels: i.levels.map((l) => ({ value: l, label: LEVEL_LABELS[l] })) }))}
        institutionId={inst.id}
        defaultLevel={inst.defaultLevel}
      />
    </>
  );
}
