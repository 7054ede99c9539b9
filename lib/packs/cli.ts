import fs from 'node:fs';
import path from 'node:path';
import { isAppError } from '@/lib/errors';
import { toBundle, validateBundle } from './bundle';
import { diffPacks, formatDiff } from './diff';
import { formatIssues } from './issues';
import { listPackIds, loadPack, locatePacks, resolveRoot } from './load';
import { scaffoldOverlay } from './scaffold';
import { buildPackJsonSchema } from './schema';
import type { TResolvedPack } from './validate';

/**
 * `npm run pack -- <command>` (scripts/pack.ts is the entry). Returns the exit code; writes through
 * `out`/`err` so tests can run commands in-process. Commands that need the store import it lazily.
 */
export interface TCliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  root?: string;
}

export const USAGE = `Usage: npm run pack -- <command>
  validate [id|path]            validate one pack, a pack folder, a folder with configs/, or all packs
  list                          packs under configs/ (version, base, validity)
  show <id> [--full]            the resolved manifest (--full: with forms, flows, templates)
  new <id> --from <base-id>     scaffold an overlay pack for a new voivodeship
  diff <a> <b> [--lang pl|en]   differences between packs (ids, paths or id@version from the store)
  export <id> --out <file>      one-file bundle of the resolved pack
  import <file>                 validate a bundle and store it as a published version
  publish <id>                  store the pack as an immutable version (no-op when unchanged)
  schema [--check]              write (or check) configs/pack.schema.json`;

function parseArgs(argv: string[]): { positional: string[]; flags: Record<string, string | true> } {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      if (v !== undefined) flags[k] = v;
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--') && ['from', 'out', 'lang', 'title'].includes(k)) flags[k] = argv[++i];
      else flags[k] = true;
    } else positional.push(a);
  }
  return { positional, flags };
}

export const SCHEMA_FILE = 'configs/pack.schema.json';

export function renderPackSchema(): string {
  return `${JSON.stringify(buildPackJsonSchema(), null, 2)}\n`;
}

async function resolveForDiff(ref: string, root: string): Promise<TResolvedPack> {
  const at = ref.indexOf('@');
  if (at > 0 && !fs.existsSync(path.resolve(root, ref))) {
    const { getPublishedPack } = await import('./publish');
    const pack = await getPublishedPack(ref.slice(0, at), ref.slice(at + 1));
    if (!pack) throw new Error(`${ref} is not published`);
    return pack;
  }
  const { root: r, ids } = locatePacks(ref, { root });
  if (ids.length !== 1) throw new Error(`"${ref}" must name exactly one pack`);
  const res = loadPack(ids[0], { root: r });
  if (!res.ok) throw new Error(`${ref} does not validate:\n${formatIssues(res.issues)}`);
  return res.pack;
}

export async function runPackCli(argv: string[], io: TCliIo): Promise<number> {
  const root = resolveRoot({ root: io.root });
  const { positional, flags } = parseArgs(argv);
  const [command, ...args] = positional;
  const needOne = (what: string) => {
    if (!args[0]) throw new Error(`missing ${what}\n\n${USAGE}`);
    return args[0];
  };
  try {
    switch (command) {
      case 'validate': {
        const { root: r, ids } = locatePacks(args[0], { root });
        if (ids.length === 0) {
          io.err(`No packs found${args[0] ? ` at ${args[0]}` : ' under configs/'}.`);
          return 1;
        }
        let failed = 0;
        for (const id of ids) {
          const res = loadPack(id, { root: r });
          if (res.ok) io.out(`✓ ${id}@${res.pack.manifest.version}`);
          else {
            failed++;
            io.err(`✗ ${id}: ${res.issues.length} issue(s)`);
            io.err(formatIssues(res.issues));
          }
        }
        return failed > 0 ? 1 : 0;
      }
      case 'list': {
        for (const id of listPackIds({ root })) {
          const res = loadPack(id, { root });
          if (res.ok) {
            const m = res.pack.manifest;
            io.out(`${id}\t${m.version}\t${m.extends ? `extends ${m.extends}` : 'base'}\t${m.title.pl}`);
          } else io.out(`${id}\t(invalid: ${res.issues.length} issue(s); run validate ${id})`);
        }
        return 0;
      }
      case 'show': {
        const res = loadPack(needOne('<id>'), { root });
        if (!res.ok) {
          io.err(formatIssues(res.issues));
          return 1;
        }
        io.out(JSON.stringify(flags.full ? toBundle(res.pack) : res.pack.manifest, null, 2));
        return 0;
      }
      case 'new': {
        const id = needOne('<id>');
        if (typeof flags.from !== 'string') throw new Error('missing --from <base-id>');
        const file = scaffoldOverlay(id, flags.from, { root, title: typeof flags.title === 'string' ? flags.title : undefined });
        const res = loadPack(id, { root });
        if (!res.ok) {
          io.err(formatIssues(res.issues));
          return 1;
        }
        io.out(`Created ${file} (extends ${res.pack.manifest.extends}); it validates.`);
        io.out(`Next: adapt labels/roles/forms as described in configs/README.md, then npm run pack -- validate ${id}`);
        return 0;
      }
      case 'diff': {
        if (args.length < 2) throw new Error(`diff needs two packs\n\n${USAGE}`);
        const lang = flags.lang === 'en' ? 'en' : 'pl';
        const [a, b] = [await resolveForDiff(args[0], root), await resolveForDiff(args[1], root)];
        for (const line of formatDiff(diffPacks(a, b), lang)) io.out(line);
        return 0;
      }
      case 'export': {
        const id = needOne('<id>');
        if (typeof flags.out !== 'string') throw new Error('missing --out <file>');
        const res = loadPack(id, { root });
        if (!res.ok) {
          io.err(formatIssues(res.issues));
          return 1;
        }
        const bundle = toBundle(res.pack);
        fs.writeFileSync(path.resolve(root, flags.out), `${JSON.stringify(bundle, null, 2)}\n`);
        io.out(`Exported ${id}@${bundle.version} (${bundle.contentHash}) to ${flags.out}`);
        return 0;
      }
      case 'import': {
        const file = needOne('<file>');
        let raw: unknown;
        try {
          raw = JSON.parse(fs.readFileSync(path.resolve(root, file), 'utf8'));
        } catch (e) {
          io.err(`${file}: cannot read a JSON bundle (${(e as Error).message})`);
          return 1;
        }
        const res = validateBundle(raw, file);
        if (!res.ok) {
          io.err(formatIssues(res.issues));
          io.err('Nothing was stored.');
          return 1;
        }
        const { publishPack } = await import('./publish');
        const r = await publishPack(res.pack, { source: 'import' });
        io.out(`${r.status === 'created' ? 'Stored' : 'Already stored (identical)'}: ${r.packId}@${r.version} ${r.contentHash}`);
        return 0;
      }
      case 'publish': {
        const id = needOne('<id>');
        const res = loadPack(id, { root });
        if (!res.ok) {
          io.err(formatIssues(res.issues));
          return 1;
        }
        const { publishPack } = await import('./publish');
        const r = await publishPack(res.pack, { source: 'cli' });
        io.out(`${r.status === 'created' ? 'Published' : 'Unchanged (already published)'}: ${r.packId}@${r.version} ${r.contentHash}`);
        return 0;
      }
      case 'schema': {
        const file = path.join(root, SCHEMA_FILE);
        const text = renderPackSchema();
        if (flags.check) {
          const same = fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text;
          (same ? io.out : io.err)(same ? `${SCHEMA_FILE} is up to date` : `${SCHEMA_FILE} is out of date: run npm run pack -- schema`);
          return same ? 0 : 1;
        }
        fs.writeFileSync(file, text);
        io.out(`Wrote ${SCHEMA_FILE}`);
        return 0;
      }
      default:
        io.err(command ? `Unknown command "${command}".\n\n${USAGE}` : USAGE);
        return command ? 1 : 0;
    }
  } catch (e) {
    io.err(isAppError(e) ? e.message : (e as Error).message);
    return 1;
  }
}
