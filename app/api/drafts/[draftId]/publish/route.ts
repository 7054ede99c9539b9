import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { publishDraft, ZPublish } from '@/lib/studio/drafts';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Publish exactly the approved draft as a new immutable version (refused with errors, unacknowledged warnings or a stale review)',
  tags: ['studio'],
  access: 'signed-in',
  params: z.object({ draftId: ZId }),
  body: ZPublish,
  status: 201,
  handler: ({ principal, params, body }) => publishDraft(principal, params.draftId, body),
});
