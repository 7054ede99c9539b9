import type { Metadata } from 'next';
import { listProposingInstitutions } from '@/lib/catalogue/card-form';
import { COLUMNS } from '@/lib/catalogue/io';
import { loadCatalogueAccess } from '../catalogue-page-data';
import { ImportWizard } from './import-wizard';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Import listy usług' };

export default async function ImportPage() {
  const { principal, canApprove } = await loadCatalogueAccess('/katalog/import');
  const institutions = await listProposingInstitutions(principal);
  if (institutions.length === 0) {
    return <div className="alert alert-warning" role="alert">Nie możesz importować usług do katalogu.</div>;
  }
  return (
    <>
      <h1 className="h3 mb-2">Import listy usług (CSV, XLSX)</h1>
      <p className="text-secondary">
        Pierwszy wiersz pliku to nagłówki. Rozpoznawane kolumny: {COLUMNS.filter((c) => !['status', 'lastVerifiedAt', 'reviewDueAt'].includes(c.key)).map((c) => `„${c.header}”`).join(', ')}. Wymagana jest tylko „Nazwa usługi”. Grupy odbiorców
        oddzielaj średnikiem. Daty: RRRR-MM-DD albo DD.MM.RRRR. Plik wyeksportowany z katalogu można poprawić i zaimportować ponownie.
      </p>
      <ImportWizard institutions={institutions.map((i) => ({ id: i._id, name: i.name }))} canApprove={canApprove} />
    </>
  );
}
