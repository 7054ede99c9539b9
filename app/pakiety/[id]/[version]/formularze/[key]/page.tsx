import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { isAppError } from '@/lib/errors';
import { getPreviewForm, type TPreviewForm } from '@/lib/forms/preview';
import { PACK_ID_PATTERN } from '@/lib/packs/schema';
import { requirePrincipal } from '../../../../pack-data';
import { FormPreview } from './form-preview';

export const dynamic = 'force-dynamic';

type TParams = Promise<{ id: string; version: string; key: string }>;

async function loadOr404(id: string, version: string, key: string): Promise<TPreviewForm> {
  if (!PACK_ID_PATTERN.test(id)) notFound();
  try {
    return await getPreviewForm(id, version, key);
  } catch (err) {
    if (isAppError(err) && err.code === 'not_found') notFound();
    throw err;
  }
}

export async function generateMetadata({ params }: { params: TParams }): Promise<Metadata> {
  const { key } = await params;
  return { title: `Podgląd formularza ${key}` };
}

export default async function FormPreviewPage({ params }: { params: TParams }) {
  const { id, version, key } = await params;
  await requirePrincipal(`/pakiety/${id}/${version}/formularze/${key}`);
  const preview = await loadOr404(id, version, key);
  return (
    <>
      <nav aria-label="Ścieżka" className="small mb-2">
        <Link href="/pakiety">Pakiety</Link> / <Link href={`/pakiety/${id}/${version}#formularze`}>{id} {version}</Link> / {preview.title}
      </nav>
      <h1 className="h3 mb-1">{preview.title}</h1>
      <p className="text-secondary small mb-3">
        Podgląd formularza <code>{key}</code>
        {preview.template && <> (wzór {preview.template})</>}. Opcje ze słowników pakietu są prawdziwe; listy instytucji, osób i usług zawierają przykładowe
        pozycje. „Sprawdź” waliduje dane na serwerze i niczego nie zapisuje.
      </p>
      <div className="card shadow-sm">
        <div className="card-body">
          <FormPreview form={preview.form} validateUrl={`/api/packs/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}/forms/${encodeURIComponent(key)}/validate`} />
        </div>
      </div>
    </>
  );
}
