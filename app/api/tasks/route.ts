import { route } from '@/lib/http/route';
import { listMyTasks, ZTaskQuery } from '@/lib/cases/tasks';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: '“Moje zadania”: tasks assigned to the caller, its institutions or its case roles',
  tags: ['tasks'],
  access: 'signed-in',
  query: ZTaskQuery,
  handler: ({ principal, query }) => listMyTasks(principal, query),
});
