import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { AppError } from '@/lib/errors';
import { loadPack, resolveRoot } from './load';
import { PACK_ID_PATTERN } from './schema';

/**
 * `npm run pack -- new <id> --from <base>`: the starting point for a new voivodeship — an overlay that
 * inherits everything from its base and validates immediately. Adaptations go into it afterwards
 * (configs/README.md "Adapt a pack for a new voivodeship").
 */
export function scaffoldOverlay(id: string, baseId: string, opts: { root?: string; title?: string } = {}): string {
  const root = resolveRoot(opts);
  if (!PACK_ID_PATTERN.test(id)) throw new AppError('bad_request', `"${id}" is not a valid pack id: use kebab-case, e.g. "wiejski-lubelskie"`);
  const dir = path.join(root, 'configs', id);
  if (fs.existsSync(path.join(dir, 'pack.json'))) throw new AppError('conflict', `configs/${id}/pack.json already exists`);
  const base = loadPack(baseId, { root });
  if (!base.ok) throw new AppError('validation', `Base pack "${baseId}" does not validate; fix it first (npm run pack -- validate ${baseId}).`);
  const baseVersion = base.pack.manifest.version;
  const manifest = {
    $schema: '../pack.schema.json',
    id,
    version: '0.1.0',
    title: opts.title ? { pl: opts.title } : { pl: `${base.pack.manifest.title.pl} — ${id}`, ...(base.pack.manifest.title.en ? { en: `${base.pack.manifest.title.en} — ${id}` } : {}) },
    extends: `${baseId}@^${semver.major(baseVersion)}.${semver.minor(baseVersion)}.0`,
    labels: {},
  };
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'pack.json');
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return path.relative(root, file);
}
