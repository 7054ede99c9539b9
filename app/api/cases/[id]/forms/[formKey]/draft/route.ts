import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { saveDraft, ZSaveDraft } from '@/lib/cases/submissions';

export const dynamic = 'force-dynamic';

export const PUT = route({
  summary: 'Autosave the caller’s draft of a form (409 when the draft changed in another window)',
  tags: ['forms'],
  access: 'signed-in',
  params: z.object({ id: ZId, formKey: ZId }),
  body: ZSaveDraft,
  handler: ({ principal, params, body }) => saveDraft(principal, params.id, params.formKey, body),
});
