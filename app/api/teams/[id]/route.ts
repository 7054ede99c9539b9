import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { getTeamOrThrow } from '@/lib/orgs/teams';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'One institutional team with its members and their join/leave dates',
  tags: ['teams'],
  access: 'signed-in',
  params: z.object({ id: ZId }),
  handler: ({ principal, params }) => getTeamOrThrow(principal, params.id),
});
