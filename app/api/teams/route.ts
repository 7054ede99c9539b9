import { route } from '@/lib/http/route';
import { createTeam, listTeams, ZCreateTeam } from '@/lib/orgs/teams';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Institutional teams (PZK, WZK…) of the user’s regions',
  tags: ['teams'],
  access: 'signed-in',
  handler: async ({ principal }) => ({ items: await listTeams(principal) }),
});

export const POST = route({
  summary: 'Create an institutional team of a kind the region’s pack declares',
  tags: ['teams'],
  access: { permission: 'team.manage' },
  body: ZCreateTeam,
  status: 201,
  handler: ({ principal, body, requestId }) => createTeam(principal, body, requestId),
});
