import { z } from 'zod';
import { route } from '@/lib/http/route';
import { PACK_ID_PATTERN } from '@/lib/packs/schema';
import { openDraft, ZOpenDraft } from '@/lib/studio/drafts';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Open a studio draft of a pack from a published version (region pack: region administrator; base pack: platform administrator)',
  tags: ['studio'],
  access: 'signed-in', // decided in lib/studio through lib/policy/packs (pack.edit in the draft's scope)
  params: z.object({ id: z.string().regex(PACK_ID_PATTERN) }),
  body: ZOpenDraft,
  status: 201,
  handler: ({ principal, params, body }) => openDraft(principal, params.id, body),
});
