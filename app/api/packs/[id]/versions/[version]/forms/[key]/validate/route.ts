import { z } from 'zod';
import { route } from '@/lib/http/route';
import { PACK_ID_PATTERN } from '@/lib/packs/schema';
import { validatePreviewSubmission } from '@/lib/forms/preview';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Validate a submission of a pack form on the server without storing it (form preview in the pack browser)',
  tags: ['packs'],
  access: 'signed-in',
  params: z.object({ id: z.string().regex(PACK_ID_PATTERN), version: z.string().min(5).max(64), key: z.string().min(1).max(100) }),
  body: z.object({ data: z.record(z.string(), z.unknown()) }),
  handler: async ({ params, body }) => ({ valid: true, ...(await validatePreviewSubmission(params.id, params.version, params.key, body.data)) }),
});
