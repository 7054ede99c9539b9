import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { draftDiff, ZDiffQuery } from '@/lib/studio/drafts';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Semantic diff of a draft against its published version or its base pack (same engine as the CLI diff)',
  tags: ['studio'],
  access: 'signed-in',
  params: z.object({ draftId: ZId }),
  query: ZDiffQuery,
  handler: ({ principal, params, query }) => draftDiff(principal, params.draftId, query),
});
