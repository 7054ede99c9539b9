import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { listConsents } from '@/lib/cases/consent';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Consent records of the case (purpose, recipients, evidence, validity, withdrawal)',
  tags: ['consent'],
  access: 'signed-in',
  params: z.object({ id: ZId }),
  handler: async ({ principal, params }) => ({ items: await listConsents(principal, params.id) }),
});
