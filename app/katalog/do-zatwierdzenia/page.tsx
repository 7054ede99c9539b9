import type { Metadata } from 'next';
import { listApprovalQueue } from '@/lib/catalogue/search';
import { getCatalogueCardConfig } from '@/lib/catalogue/card';
import { loadCatalogueAccess, toPlain } from '../catalogue-page-data';
import { ApprovalQueue } from './approval-queue';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Usługi do zatwierdzenia' };

export default async function ApprovalQueuePage() {
  const access = await loadCatalogueAccess('/katalog/do-zatwierdzenia');
  if (!access.canApprove) {
    return (
      <div className="alert alert-warning" role="alert">
        Zatwierdzanie wpisów katalogu należy do roli wskazanej w pakiecie (np. lider OPS, animator powiatu).
      </div>
    );
  }
  const items = await listApprovalQueue(access.principal);
  const labels: Record<string, string> = {};
  for (const regionId of new Set(items.map((i) => i.regionId))) for (const g of (await getCatalogueCardConfig(regionId)).recipientGroups) labels[g.value] = g.label;
  return (
    <>
      <h1 className="h3 mb-3">Usługi do zatwierdzenia</h1>
      <ApprovalQueue items={toPlain(items)} groupLabels={labels} />
    </>
  );
}
