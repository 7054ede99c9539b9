import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { addTeamMember, ZAddTeamMember } from '@/lib/orgs/teams';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Add an institution or a person to a team (conditional on the team’s revision)',
  tags: ['teams'],
  access: { permission: 'team.manage' },
  params: z.object({ id: ZId }),
  body: ZAddTeamMember,
  status: 201,
  handler: ({ principal, params, body, requestId }) => addTeamMember(principal, params.id, body, requestId),
});
