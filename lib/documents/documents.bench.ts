/**
 * Documents per second: filling a pack template with docxtemplater (DOCX), and — where soffice is
 * installed — converting to PDF with LibreOffice headless (measured separately, a few documents).
 */
import type { TBenchTable } from '@/scripts/bench';
import { loadPack } from '@/lib/packs/load';
import { documentDictionary, sampleData } from './dictionary';
import { renderTemplate } from './template';
import { convertToPdf, pdfAvailable } from './pdf';

export default async function bench(): Promise<TBenchTable[]> {
  const r = loadPack('wiejski');
  if (!r.ok) throw new Error('wiejski pack invalid');
  const rows: Array<Record<string, string | number>> = [];
  for (const key of ['zgoda', 'ipw']) {
    const bytes = Buffer.from(r.pack.assets[r.pack.manifest.documents[key].file!], 'base64');
    const data = sampleData(documentDictionary(r.pack.manifest, r.pack.forms, key));
    const n = 100;
    let out = renderTemplate(bytes, data);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) out = renderTemplate(bytes, data);
    const s = (performance.now() - t0) / 1000;
    rows.push({ document: `wiejski/${key}`, format: 'DOCX', documents: n, 'docs/s': n / s, 'ms/doc': (s * 1000) / n });
    if (pdfAvailable()) {
      const m = 3;
      await convertToPdf(out);
      const t1 = performance.now();
      for (let i = 0; i < m; i++) await convertToPdf(out);
      const p = (performance.now() - t1) / 1000;
      rows.push({ document: `wiejski/${key}`, format: 'PDF (soffice)', documents: m, 'docs/s': m / p, 'ms/doc': (p * 1000) / m });
    }
  }
  return [{ title: 'Document generation (docxtemplater; PDF via LibreOffice headless, one at a time)', columns: ['document', 'format', 'documents', 'docs/s', 'ms/doc'], rows, ...(pdfAvailable() ? {} : { notes: ['soffice not installed: PDF not measured'] }) }];
}
