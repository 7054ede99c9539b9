import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { confirmCatalogueImport, ZConfirmImport } from '@/lib/catalogue/io';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Import step 2: store the rows (mode "all" is refused while any row is invalid; "valid-only" skips them explicitly)',
  tags: ['catalogue'],
  access: 'signed-in',
  params: z.object({ id: ZId }),
  body: ZConfirmImport,
  handler: ({ principal, params, body, requestId }) => confirmCatalogueImport(principal, params.id, body, requestId),
});
