import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { reviewDraft, ZReview } from '@/lib/studio/drafts';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Four-eyes review of a draft: submit (author), approve or return with a comment (another administrator with pack.review)',
  tags: ['studio'],
  access: 'signed-in',
  params: z.object({ draftId: ZId }),
  body: ZReview,
  handler: ({ principal, params, body }) => reviewDraft(principal, params.draftId, body),
});
