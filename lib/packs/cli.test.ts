import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runPackCli } from './cli';
import { makeSampleRoot } from './temp-root.test-helper';

const ROOT = path.resolve(__dirname, '../..');
const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

async function run(argv: string[], root = ROOT) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPackCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), root });
  return { code, out, err };
}

describe('npm run pack', () => {
  it('validate: exit 0 on every pack in configs/, exit 1 with file:path — message (hint) on a broken fixture', async () => {
    const ok = await run(['validate']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('✓ sample@1.0.0');
    const bad = await run(['validate', 'lib/packs/__fixtures__/broken/unknown-guard']);
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toContain('flows/mini/sprawa.json:states.nowa.on.START.guard.type — unknown guard "isFullMoon" (use one of:');
  });

  it('new --from scaffolds an overlay that validates; diff and export work on it', async () => {
    const root = makeSampleRoot();
    roots.push(root);
    const created = await run(['new', 'sample-opolskie', '--from', 'sample'], root);
    expect(created.code).toBe(0);
    expect((await run(['validate', 'sample-opolskie'], root)).code).toBe(0);
    const diff = await run(['diff', 'sample', 'sample-opolskie', '--lang', 'en'], root);
    expect(diff.out).toContain('~ Pack "version": changed — version "1.0.0" → "0.1.0"');
    const exported = await run(['export', 'sample-opolskie', '--out', 'bundle.json'], root);
    expect(exported.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'bundle.json'), 'utf8')).lineage).toEqual(['sample@1.0.0', 'sample-opolskie@0.1.0']);
  });

  it('schema --check passes on the committed schema', async () => {
    expect((await run(['schema', '--check'])).code).toBe(0);
  });
});
