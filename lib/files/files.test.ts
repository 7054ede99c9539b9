import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempDataDir } from '@/lib/testing/temp-app';
import { env } from '@/lib/env';
import { decide, type TPrincipal } from '@/lib/policy/policy';
import { attachFile, fileResource, getFileOrThrow, readFileBytes, saveFile } from './files';
import { FILE_READ_PERMISSION, registerFileAttachmentHook } from '@/lib/policy/file-rule';
import { FILE_MAX_BYTES } from './limits';

const scope = { regionId: 'r1', powiatId: 'p1', gminaId: 'g1' };
const pdf = (size: number) => {
  const bytes = new Uint8Array(size);
  bytes.set([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37]);
  for (let i = 8; i < size; i++) bytes[i] = i % 251;
  return bytes;
};
const principal = (userId: string): TPrincipal => ({
  userId, name: userId, email: `${userId}@test.pl`, platformAdmin: false, regionAdminOf: [], teams: [],
  memberships: [{ institutionId: 'ops', institutionName: 'OPS', institutionType: 'ops', level: 'gmina', scope, roles: ['ps'], permissions: ['case.read'] }],
});

let cleanup: () => Promise<void>;
beforeAll(() => {
  cleanup = openTempDataDir();
});
afterAll(async () => cleanup());

describe('file storage (embedded engine)', () => {
  it('stores and returns the same bytes with their sha256, durably under DATA_DIR/files/<yyyy>/<id>', async () => {
    const bytes = pdf(100_000);
    const doc = await saveFile({ name: '../../Skan zgody ż.pdf', bytes, uploadedBy: 'u1', scope });
    expect(doc).toMatchObject({ name: 'Skan zgody ż.pdf', type: 'application/pdf', size: 100_000, uploadedBy: 'u1', ...scope });
    expect(doc.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const again = await getFileOrThrow(doc._id);
    expect(Buffer.from(await readFileBytes(again)).equals(Buffer.from(bytes))).toBe(true);
    const dir = path.join(env().dataDir, 'files', String(new Date().getUTCFullYear()));
    expect(fs.readdirSync(dir)).toContain(doc._id);
    // No temporary files are left behind by the atomic write.
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  });

  it('refuses a file over the size limit, an empty file, a forbidden type and content that does not match its extension', async () => {
    await expect(saveFile({ name: 'duzy.pdf', bytes: pdf(FILE_MAX_BYTES + 1), uploadedBy: 'u1', scope })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('20MB') });
    await expect(saveFile({ name: 'pusty.pdf', bytes: new Uint8Array(0), uploadedBy: 'u1', scope })).rejects.toMatchObject({ code: 'validation' });
    await expect(saveFile({ name: 'skrypt.exe', bytes: pdf(10), uploadedBy: 'u1', scope })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('Niedozwolony typ') });
    await expect(saveFile({ name: 'udaje.png', bytes: pdf(10), uploadedBy: 'u1', scope })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('.png') });
    // Exactly at the limit is fine.
    await expect(saveFile({ name: 'graniczny.pdf', bytes: pdf(FILE_MAX_BYTES), uploadedBy: 'u1', scope })).resolves.toMatchObject({ size: FILE_MAX_BYTES });
  });

  it('detects damaged bytes through the checksum', async () => {
    const doc = await saveFile({ name: 'a.pdf', bytes: pdf(1000), uploadedBy: 'u1', scope });
    fs.writeFileSync(path.join(env().dataDir, 'files', ...doc.blobKey.split('/')), pdf(999));
    await expect(readFileBytes(doc)).rejects.toMatchObject({ code: 'internal' });
  });

  it('lets only the uploader read an unattached file; once attached, the attachment kind’s hook decides', async () => {
    const doc = await saveFile({ name: 'b.pdf', bytes: pdf(1000), uploadedBy: 'u1', scope });
    expect(decide(principal('u1'), FILE_READ_PERMISSION, fileResource(doc)).allow).toBe(true);
    expect(decide(principal('u2'), FILE_READ_PERMISSION, fileResource(doc))).toMatchObject({ allow: false, status: 'forbidden' });
    const attached = await attachFile(doc._id, { type: 'test-case', id: 'c1' });
    // No hook for the kind yet: nobody, not even the uploader.
    expect(decide(principal('u1'), FILE_READ_PERMISSION, fileResource(attached)).allow).toBe(false);
    registerFileAttachmentHook('test-case', (p) => (p.userId === 'u2' ? { grant: [FILE_READ_PERMISSION] } : { deny: 'not in the case team' }));
    expect(decide(principal('u2'), FILE_READ_PERMISSION, fileResource(attached)).allow).toBe(true);
    expect(decide(principal('u1'), FILE_READ_PERMISSION, fileResource(attached)).allow).toBe(false);
    await expect(attachFile(doc._id, { type: 'test-case', id: 'c2' })).rejects.toMatchObject({ code: 'conflict' });
  });
});
