import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { draftProblems } from '@/lib/studio/drafts';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Problems of a draft: validator errors and cross-artefact warnings, each with a JSON pointer and entity',
  tags: ['studio'],
  access: 'signed-in',
  params: z.object({ draftId: ZId }),
  handler: ({ principal, params }) => draftProblems(principal, params.draftId),
});
