import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { leaveTeam } from '@/lib/orgs/teams';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Record that a member left the team (the row stays, with its leave date)',
  tags: ['teams'],
  access: { permission: 'team.manage' },
  params: z.object({ id: ZId, memberId: ZId }),
  body: z.object({ revision: z.number().int().positive(), leftAt: z.coerce.date().optional() }),
  handler: ({ principal, params, body, requestId }) => leaveTeam(principal, params.id, { ...body, memberId: params.memberId }, requestId),
});
