import { json, route } from '@/lib/http/route';
import { checkHealth } from '@/lib/health';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Health of the app and its storage and job engines (503 when a configured engine is unreachable)',
  tags: ['system'],
  access: 'public',
  handler: async () => {
    const health = await checkHealth();
    return json(health, health.status === 'ok' ? 200 : 503);
  },
});
