import { z } from 'zod';
import { route } from '@/lib/http/route';
import { exportCatalogue } from '@/lib/catalogue/io';
import { ZCatalogueQuery } from '@/lib/catalogue/types';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Export the catalogue entries of the current filter as CSV or XLSX',
  tags: ['catalogue'],
  access: { permission: 'catalogue.read' },
  query: ZCatalogueQuery.extend({ format: z.enum(['csv', 'xlsx']).default('csv') }),
  handler: async ({ principal, query }) => {
    const { format, ...q } = query;
    const file = await exportCatalogue(principal, q, format);
    return new Response(file.body as BodyInit, {
      headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.fileName}"`, 'cache-control': 'no-store' },
    });
  },
});
