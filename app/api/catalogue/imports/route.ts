import { route } from '@/lib/http/route';
import { IMPORT_MAX_BODY_BYTES, uploadCatalogueImport, ZUploadImport } from '@/lib/catalogue/io';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Import step 1: upload a CSV/XLSX list (base64); returns a validation report naming each bad row and field, stores nothing yet',
  tags: ['catalogue'],
  access: 'signed-in',
  body: ZUploadImport,
  maxBodyBytes: IMPORT_MAX_BODY_BYTES,
  status: 201,
  handler: ({ principal, body }) => uploadCatalogueImport(principal, body),
});
