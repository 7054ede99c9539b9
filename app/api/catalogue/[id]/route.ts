import { z } from 'zod';
import { route, ZId } from '@/lib/http/route';
import { editEntry, getEntryDetails, getEntryResource } from '@/lib/catalogue/entries';
import { ZEditEntry } from '@/lib/catalogue/types';

export const dynamic = 'force-dynamic';

const ZParams = z.object({ id: ZId });

export const GET = route({
  summary: 'One catalogue entry with its history, change proposals and the actions the caller may take',
  tags: ['catalogue'],
  access: { permission: 'catalogue.read', resource: ({ params }) => getEntryResource(params.id) },
  params: ZParams,
  handler: ({ principal, params }) => getEntryDetails(principal, params.id),
});

export const PATCH = route({
  summary: 'Edit a catalogue entry (approver; conditional on its revision, 409 when changed meanwhile)',
  tags: ['catalogue'],
  access: { permission: 'catalogue.approve', resource: ({ params }) => getEntryResource(params.id) },
  params: ZParams,
  body: ZEditEntry,
  handler: ({ principal, params, body, requestId }) => editEntry(principal, params.id, body, requestId),
});
