import 'server-only';
import { AppError, isAppError } from '@/lib/errors';
import { readBodyBytes } from '@/lib/http/body';
import { actorOf, recordAccess } from '@/lib/audit/audit';
import { enforce, type TPrincipal } from '@/lib/policy/policy';
import { decideFileUpload } from '@/lib/policy/file-rule';
import { getFileOrThrow, readFileBytes, saveFile, type TFileDoc } from './files';
import { FILE_MAX_BYTES, FILE_MAX_SIZE_LABEL } from './limits';

/**
 * The HTTP side of the file port, kept out of the route files: Form.io's `url` storage provider posts
 * multipart form data (`file`, `name`, `dir`) and reads `url` from the JSON answer
 * (node_modules/@formio/js/lib/cjs/providers/storage/url.js). A relative `url` would be prefixed with
 * the upload URL by the provider, so the answer carries an absolute one.
 */
export interface TUploadAnswer {
  id: string;
  url: string;
  name: string;
  size: number;
  type: string;
  sha256: string;
}

/** Multipart overhead allowed on top of the file itself. */
const MULTIPART_SLACK = 64 * 1024;
const TOO_LARGE = `Plik jest za duży; może mieć najwyżej ${FILE_MAX_SIZE_LABEL}.`;

export async function uploadFromRequest(req: Request, principal: TPrincipal): Promise<TUploadAnswer> {
  if (!(req.headers.get('content-type') ?? '').includes('multipart/form-data')) {
    throw new AppError('bad_request', 'Plik wysyła się jako multipart/form-data (pole „file”).');
  }
  // Bounded like every body (lib/http/body.ts), with the upload's own limit: refused by the declared
  // length before reading, or as soon as the stream passes it.
  let bytes: Uint8Array;
  try {
    bytes = await readBodyBytes(req, FILE_MAX_BYTES + MULTIPART_SLACK);
  } catch (e) {
    if (isAppError(e) && e.code === 'too_large') throw new AppError('too_large', TOO_LARGE, { details: [{ path: 'file', message: TOO_LARGE }] });
    throw e;
  }
  let form: FormData;
  try {
    form = await new Response(Buffer.from(bytes), { headers: { 'content-type': req.headers.get('content-type') ?? '' } }).formData();
  } catch {
    throw new AppError('bad_request', 'Nie udało się odczytać przesłanego pliku.');
  }
  const file = form.get('file');
  if (!(file instanceof File)) throw new AppError('bad_request', 'Brak pliku w polu „file”.');
  const upload = decideFileUpload(principal);
  enforce(principal, upload, { notFound: 'file' });
  const { scope } = upload;
  // Form.io also sends `name` (its generated unique name); the user's own file name is kept instead.
  const name = file.name || String(form.get('name') ?? '');
  const doc = await saveFile({ name, bytes: new Uint8Array(await file.arrayBuffer()), uploadedBy: principal.userId, scope });
  return { id: doc._id, url: `${new URL(req.url).origin}/api/files/${doc._id}`, name: doc.name, size: doc.size, type: doc.type, sha256: doc.sha256 };
}

/** The download answer; every read of an attached file (personal data of a case) is audited. */
export async function downloadResponse(doc: TFileDoc, principal: TPrincipal, requestId: string): Promise<Response> {
  const bytes = await readFileBytes(doc);
  if (doc.attachedTo) {
    await recordAccess({
      actor: actorOf(principal),
      action: 'file.download',
      target: { type: 'file', id: doc._id, label: doc.name },
      scope: { regionId: doc.regionId, powiatId: doc.powiatId, gminaId: doc.gminaId },
      requestId,
    });
  }
  const ascii = doc.name.replace(/[^\x20-\x7e]/g, '_');
  return new Response(Buffer.from(bytes), {
    status: 200,
    headers: {
      'content-type': doc.type,
      'content-length': String(bytes.byteLength),
      // Always a download, never rendered inline in our origin (no virus scanning: keep untrusted content out of the page).
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.name)}`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
}

export { getFileOrThrow };
