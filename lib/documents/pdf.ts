import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '@/lib/errors';

/**
 * DOCX → PDF with LibreOffice headless (`soffice`, Debian `libreoffice-writer-nogui`). Conversions in one
 * process run one at a time with a private LibreOffice profile (two instances sharing a profile block each
 * other). Where soffice is not installed, `pdfAvailable()` is false and the app offers DOCX only.
 */
const CANDIDATES = ['/usr/bin/soffice', '/usr/local/bin/soffice', '/usr/lib/libreoffice/program/soffice', '/opt/libreoffice/program/soffice', '/Applications/LibreOffice.app/Contents/MacOS/soffice'];
const TIMEOUT_MS = 120_000;

let found: string | null | undefined;

export function sofficePath(): string | null {
  if (found === undefined) found = CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
  return found;
}

export function pdfAvailable(): boolean {
  return sofficePath() !== null;
}

export const PDF_UNAVAILABLE_MESSAGE = 'PDF jest niedostępny: na serwerze nie zainstalowano LibreOffice (soffice). Pobierz dokument jako DOCX.';

let chain: Promise<unknown> = Promise.resolve();
const profile = path.join(os.tmpdir(), `kooperacja-soffice-${process.pid}`);

export function convertToPdf(docx: Uint8Array): Promise<Buffer> {
  const bin = sofficePath();
  if (!bin) return Promise.reject(new AppError('unavailable', PDF_UNAVAILABLE_MESSAGE));
  const run = chain.then(() => convertOnce(bin, docx));
  chain = run.catch(() => undefined);
  return run;
}

async function convertOnce(bin: string, docx: Uint8Array): Promise<Buffer> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kooperacja-pdf-'));
  try {
    const input = path.join(dir, 'dokument.docx');
    await fsp.writeFile(input, docx);
    await new Promise<void>((resolve, reject) => {
      execFile(
        bin,
        [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--nolockcheck', '--convert-to', 'pdf:writer_pdf_Export', '--outdir', dir, input],
        { timeout: TIMEOUT_MS },
        (err) => (err ? reject(new AppError('internal', 'Konwersja do PDF nie powiodła się.', { cause: err })) : resolve()),
      );
    });
    const out = path.join(dir, 'dokument.pdf');
    if (!fs.existsSync(out)) throw new AppError('internal', 'Konwersja do PDF nie powiodła się (brak pliku wynikowego).');
    return await fsp.readFile(out);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}
