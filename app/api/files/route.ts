import { route } from '@/lib/http/route';
import { uploadFromRequest } from '@/lib/files/http';

export const dynamic = 'force-dynamic';

export const POST = route({
  summary: 'Upload a file for a form field (Form.io "url" storage: multipart field "file"); PDF, JPG, PNG, DOCX, ODT up to 20 MB; no virus scanning',
  tags: ['files'],
  access: 'signed-in',
  status: 201,
  handler: async ({ req, principal }) => uploadFromRequest(req, principal),
});
