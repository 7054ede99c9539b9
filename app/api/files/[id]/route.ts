import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { downloadResponse, getFileOrThrow } from '@/lib/files/http';
import { caseAwareFileResource } from '@/lib/cases/file-access';
import { FILE_READ_PERMISSION } from '@/lib/policy/file-rule';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Download a file (uploader until attached; then the policy hook of what it is attached to decides; attached files are audited)',
  tags: ['files'],
  params: z.object({ id: ZId }),
  access: { permission: FILE_READ_PERMISSION, resource: async ({ params }) => caseAwareFileResource(await getFileOrThrow(params.id)) },
  handler: async ({ params, principal, requestId }) => downloadResponse(await getFileOrThrow(params.id), principal, requestId),
});
