import { route } from '@/lib/http/route';
import { listAuditEvents, ZAuditQuery } from '@/lib/audit/audit';

export const dynamic = 'force-dynamic';

export const GET = route({
  summary: 'Browse the audit log of the caller’s scope (filters: time, actor, action, target, kind)',
  tags: ['audit'],
  access: { permission: 'audit.read' },
  query: ZAuditQuery,
  handler: ({ principal, query }) => listAuditEvents(principal, query),
});
