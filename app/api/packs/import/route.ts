import { z } from 'zod';
import { route } from '@/lib/http/route';
import { importDryRun } from '@/lib/studio/import';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Check a pack bundle before import: validation report and the diff against the installed pack; nothing is stored',
  tags: ['studio'],
  access: { permission: 'pack.edit' },
  query: z.object({ dryRun: z.enum(['true']) }),
  body: z.unknown(),
  handler: ({ principal, body, requestId }) => importDryRun(principal, body, requestId),
});
