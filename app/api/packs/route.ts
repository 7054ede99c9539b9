import { route } from '@/lib/http/route';
import { listPacks } from '@/lib/packs/service';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Published configuration packs with their immutable versions (no content)',
  tags: ['packs'],
  access: 'signed-in',
  handler: async () => ({ items: await listPacks() }),
});
