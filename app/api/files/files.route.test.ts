/**
 * The upload/download routes as Form.io's `url` storage provider and a browser use them: multipart POST
 * with the session cookie, JSON answer with an absolute `url`, download as an attachment, audited once
 * the file is attached to something.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from 'next-auth/jwt';
import { openTempDataDir } from '@/lib/testing/temp-app';
import { getStore } from '@/lib/store';
import { bootPacks } from '@/lib/packs/boot';
import { readDemoFiles, seedDemoData } from '@/lib/demo/seed';
import { authSecret } from '@/lib/auth/secret';
import type { TUser } from '@/lib/orgs/types';
import type { TAuditEvent } from '@/lib/audit/audit';
import { attachFile } from '@/lib/files/files';
import { FILE_READ_PERMISSION, registerFileAttachmentHook } from '@/lib/policy/file-rule';
import { POST } from './route';
import { GET } from './[id]/route';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5]);
let cleanup: () => Promise<void>;
const cookie: Record<string, string> = {};

beforeAll(async () => {
  cleanup = openTempDataDir();
  await bootPacks();
  await seedDemoData(readDemoFiles().filter((d) => d.packId === 'sample'));
  const users = (await getStore()).collection<TUser>('users');
  for (const email of ['ps@sample.kooperacja.test', 'kierownik@sample.kooperacja.test']) {
    const u = await users.findOne({ email });
    cookie[email] = `next-auth.session-token=${await encode({ token: { uid: u!._id, sub: u!._id }, secret: authSecret() })}`;
  }
});
afterAll(async () => cleanup());

function upload(as: string, name: string, bytes: Uint8Array): Promise<Response> {
  const fd = new FormData();
  // Exactly what Form.io's url provider sends: the file under `file`, plus `name` and `dir`.
  fd.append('file', new File([Buffer.from(bytes)], name, { type: 'image/png' }));
  fd.append('name', `${name}-formio-unique`);
  fd.append('dir', '');
  return POST(new Request('http://localhost:3000/api/files?baseUrl=x&project=&form=', { method: 'POST', headers: { cookie: cookie[as], origin: 'http://localhost:3000' }, body: fd }));
}

const download = (as: string, id: string) => GET(new Request(`http://localhost:3000/api/files/${id}`, { headers: { cookie: cookie[as] } }), { params: Promise.resolve({ id }) });

describe('/api/files', () => {
  it('accepts a Form.io upload and answers with an absolute url; the uploader downloads the same bytes', async () => {
    const res = await upload('ps@sample.kooperacja.test', 'skan zgody.png', PNG);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; url: string; name: string; size: number; type: string };
    expect(body).toMatchObject({ name: 'skan zgody.png', size: PNG.byteLength, type: 'image/png', url: `http://localhost:3000/api/files/${body.id}` });

    const got = await download('ps@sample.kooperacja.test', body.id);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toContain('attachment');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(PNG);
    // Not attached yet: a colleague does not see the draft upload.
    expect((await download('kierownik@sample.kooperacja.test', body.id)).status).toBe(403);
  });

  it('refuses a disguised file with a field error', async () => {
    const res = await upload('ps@sample.kooperacja.test', 'faktura.png', new TextEncoder().encode('MZ not a png'));
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors[0]).toMatchObject({ path: 'file', message: expect.stringContaining('.png') });
  });

  it('audits every download of an attached file', async () => {
    const { id } = (await (await upload('ps@sample.kooperacja.test', 'dowod.png', PNG)).json()) as { id: string };
    await attachFile(id, { type: 'route-test-case', id: 'c-1' });
    registerFileAttachmentHook('route-test-case', () => ({ grant: [FILE_READ_PERMISSION] }));
    expect((await download('kierownik@sample.kooperacja.test', id)).status).toBe(200);
    const events = await (await getStore()).collection<TAuditEvent>('auditEvents').find({ 'target.type': 'file', 'target.id': id });
    expect(events).toEqual([expect.objectContaining({ kind: 'access', action: 'file.download' })]);
  });
});
