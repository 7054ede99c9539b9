import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore, type TStore } from '@/lib/store';
import { isAppError } from '@/lib/errors';
import { bootPacks, refusedPacks } from './boot';
import { formatIssues } from './issues';
import { setTestEnv } from '@/lib/testing/temp-app';
import { loadPack } from './load';
import { getPublishedPack, listPublishedVersions, publishPack } from './publish';
import { getPackVersion, listPacks } from './service';
import { makeSampleRoot, readJson, writeJson } from './temp-root.test-helper';

let store: TStore;
let dataDir: string;
let root: string;

beforeAll(async () => {
  setTestEnv({ LOG_LEVEL: 'silent' });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kooperacja-packstore-'));
  store = await openEmbeddedStore(dataDir);
  root = makeSampleRoot();
});
afterAll(async () => {
  await store?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(root, { recursive: true, force: true });
});

function loadOk(id: string) {
  const res = loadPack(id, { root });
  if (!res.ok) throw new Error(JSON.stringify(res.issues));
  return res.pack;
}

describe('immutable pack versions', () => {
  it('publishes once; identical content again is a no-op; changed content under the same version is refused', async () => {
    const pack = loadOk('sample');
    expect((await publishPack(pack, { store })).status).toBe('created');
    expect((await publishPack(pack, { store })).status).toBe('unchanged');
    expect(await listPublishedVersions('sample', store)).toHaveLength(1);

    const changed = structuredClone(pack);
    changed.manifest.title = { pl: 'Inny tytuł' };
    const err = await publishPack(changed, { store }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('conflict');
    expect((err as Error).message).toMatch(/sample@1\.0\.0 is already published with different content.*raise "version"/s);
    expect(await listPublishedVersions('sample', store)).toHaveLength(1);
    expect(await getPublishedPack('sample', '1.0.0', store)).toEqual(pack);
  });

  it('boot: an unchanged pack creates no version, a changed version number creates exactly one', async () => {
    const first = await bootPacks({ root, store });
    expect(first.map((r) => r.status)).toEqual(['unchanged']);
    expect(await listPublishedVersions('sample', store)).toHaveLength(1);

    const manifest = readJson(root, 'configs/sample/pack.json');
    writeJson(root, 'configs/sample/pack.json', { ...manifest, version: '1.1.0', title: { pl: 'Pakiet przykładowy 1.1' } });
    expect((await bootPacks({ root, store })).map((r) => r.status)).toEqual(['created']);
    expect((await bootPacks({ root, store })).map((r) => r.status)).toEqual(['unchanged']);
    expect((await listPublishedVersions('sample', store)).map((v) => v.version).sort()).toEqual(['1.0.0', '1.1.0']);

    const list = await listPacks(store);
    expect(list).toEqual([expect.objectContaining({ id: 'sample', latestVersion: '1.1.0' })]);
    expect(list[0].versions).toHaveLength(2);
    expect((await getPackVersion('sample', '1.0.0', store)).manifest.title.pl).toBe('Pakiet przykładowy');
    await expect(getPackVersion('sample', '9.9.9', store)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('boot: a broken pack is refused and reported alone; the others run', async () => {
    const manifest = readJson(root, 'configs/sample/pack.json') as { roles: Record<string, { permissions: string[] }> };
    manifest.roles.partner.permissions.push('case.fly');
    writeJson(root, 'configs/sample/pack.json', manifest);
    writeOtherPack();
    const results = await bootPacks({ root, store });
    expect(results.map((r) => r.packId)).toEqual(['zzz-other']);
    expect(refusedPacks().map((r) => r.id)).toEqual(['sample']);
    expect(formatIssues(refusedPacks()[0].issues)).toMatch(/configs\/sample\/pack\.json:roles\.partner\.permissions\[5\] — unknown permission "case\.fly"/);
  });
});

function writeOtherPack() {
  const fsx = fs;
  for (const top of ['configs', 'forms', 'flows']) fsx.cpSync(path.join(root, top, 'sample'), path.join(root, top, 'zzz-other'), { recursive: true });
  const m = readJson(root, 'configs/zzz-other/pack.json') as { id: string; roles: Record<string, { permissions: string[] }> };
  m.id = 'zzz-other';
  m.roles.partner.permissions = m.roles.partner.permissions.filter((p) => p !== 'case.fly');
  writeJson(root, 'configs/zzz-other/pack.json', m);
}
