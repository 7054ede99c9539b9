import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { updateTask, ZUpdateTask } from '@/lib/cases/tasks';

export const dynamic = 'force-dynamic';

export const PATCH = route({
  summary: 'Update the status of one of the caller’s own tasks (conditional on revision)',
  tags: ['tasks'],
  access: 'signed-in',
  params: z.object({ id: ZId }),
  body: ZUpdateTask,
  handler: ({ principal, params, body, requestId }) => updateTask(principal, params.id, body, requestId),
});
