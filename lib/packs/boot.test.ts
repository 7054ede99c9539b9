import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempDataDir, setTestEnv } from '@/lib/testing/temp-app';
import { checkHealth } from '@/lib/health';
import { listPublishedVersions } from './publish';
import { bootPacks } from './boot';
import { makeSampleRoot, readJson, writeJson } from './temp-root.test-helper';

let cleanup: () => Promise<void>;
let root: string;

beforeAll(() => {
  setTestEnv({ LOG_LEVEL: 'silent', REDIS_URL: undefined });
  cleanup = openTempDataDir('kooperacja-boot-');
  root = makeSampleRoot();
  // A second, broken pack next to the good one.
  for (const top of ['configs', 'forms', 'flows']) fs.cpSync(`${root}/${top}/sample`, `${root}/${top}/broken`, { recursive: true });
  const m = readJson(root, 'configs/broken/pack.json') as { id: string; roles: Record<string, { permissions: string[] }> };
  m.id = 'broken';
  m.roles.partner.permissions.push('case.fly');
  writeJson(root, 'configs/broken/pack.json', m);
});
afterAll(async () => {
  await cleanup?.();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('packs fail alone at start', () => {
  it('refuses the broken pack, publishes the others and reports it in /api/health', async () => {
    const results = await bootPacks({ root });
    expect(results.map((r) => r.packId)).toEqual(['sample']);
    expect(await listPublishedVersions('broken')).toEqual([]);
    const health = await checkHealth();
    expect(health.status).toBe('ok');
    expect(health.refusedPacks).toEqual([{ id: 'broken', issues: 1, first: expect.stringContaining('unknown permission "case.fly"') }]);
  });
});
