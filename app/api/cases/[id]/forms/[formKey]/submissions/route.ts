import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { submitForm, ZSubmitForm } from '@/lib/cases/submissions';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Submit a new version of a form: validated on the server against the pinned form (400 with field errors; nothing stored)',
  tags: ['forms'],
  access: 'signed-in',
  params: z.object({ id: ZId, formKey: ZId }),
  body: ZSubmitForm,
  status: 201,
  handler: async ({ principal, params, body, requestId }) => {
    const s = await submitForm(principal, params.id, params.formKey, body, requestId);
    return { id: s._id, version: s.version, seriesId: s.seriesId, data: s.data };
  },
});
