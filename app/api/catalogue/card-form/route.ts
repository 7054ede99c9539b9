import { z } from 'zod';
import { route } from '@/lib/http/route';
import { getCardFormFor } from '@/lib/catalogue/card-form';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'The catalogue card form (prepared) and the institutions the caller may propose services for',
  tags: ['catalogue'],
  access: 'signed-in',
  query: z.object({ institutionId: z.string().max(100).optional() }),
  handler: ({ principal, query }) => getCardFormFor(principal, query.institutionId),
});
