import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { changeDraft, viewDraft, ZDraftChange } from '@/lib/studio/drafts';

export const dynamic = 'force-dynamic';
const ZParams = z.object({ draftId: ZId });

export const GET = route({
  summary: 'A studio draft: content, revision, history, checkpoints, review state, other open drafts',
  tags: ['studio'],
  access: 'signed-in', // lib/policy/packs: pack.edit in the draft's scope; another region's draft is a 404
  params: ZParams,
  handler: ({ principal, params }) => viewDraft(principal, params.draftId),
});

export const PATCH = route({
  summary: 'Change a draft: JSON-Patch operations, undo, redo, restore a history point or add a checkpoint; always with the revision (stale → 409)',
  tags: ['studio'],
  access: 'signed-in',
  params: ZParams,
  body: ZDraftChange,
  handler: ({ principal, params, body }) => changeDraft(principal, params.draftId, body),
});
