import { z } from 'zod';
import { route } from '@/lib/http/route';
import { getPackVersion } from '@/lib/packs/service';
import { PACK_ID_PATTERN } from '@/lib/packs/schema';

export const dynamic = 'force-dynamic';

const ZParams = z.object({
  id: z.string().regex(PACK_ID_PATTERN),
  version: z.string().min(5).max(64),
});

export const GET = route({
  summary: 'One published pack version, resolved (manifest, forms, flows, templates)',
  tags: ['packs'],
  access: 'signed-in',
  params: ZParams,
  handler: ({ params }) => getPackVersion(params.id, params.version),
});
