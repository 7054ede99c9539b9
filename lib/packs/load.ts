import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { PACK_ID_PATTERN } from './schema';
import type { TPackIssue } from './issues';
import { validatePackDraft, type TLoadedFile, type TPackDraft, type TValidation } from './validate';

/**
 * The file-system half of the one pack loader (no `server-only` marker: the CLI runs it under plain
 * Node). A pack lives in `<root>/configs/<id>/pack.json`, its forms in `<root>/forms/<id>/`, its flows
 * in `<root>/flows/<id>/`, its DOCX templates next to pack.json. An overlay (`extends`) is merged over
 * its base (see configs/README.md "Inheritance"); then lib/packs/validate.ts checks the result.
 */
export interface TLoadOptions {
  /** Project root holding configs/, forms/, flows/ (default: the current directory). */
  root?: string;
}

type TJson = Record<string, unknown>;
const isObject = (v: unknown): v is TJson => typeof v === 'object' && v !== null && !Array.isArray(v);

export function resolveRoot(opts: TLoadOptions = {}): string {
  return path.resolve(opts.root ?? process.cwd());
}

/** Ids of the packs under `<root>/configs/` (folders with a pack.json), sorted. */
export function listPackIds(opts: TLoadOptions = {}): string[] {
  const dir = path.join(resolveRoot(opts), 'configs');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'pack.json')))
    .map((d) => d.name)
    .sort();
}

interface TLayer {
  id: string;
  file: string; // root-relative path of pack.json
  raw: TJson;
}

function readJsonFile(root: string, relPath: string, issues: TPackIssue[], what: string, missingHint?: string): unknown {
  const abs = path.join(root, relPath);
  if (!fs.existsSync(abs)) {
    issues.push({ file: relPath, path: '(root)', message: `${what} file not found`, hint: missingHint ?? `create ${relPath} or fix the "file" entry in pack.json` });
    return undefined;
  }
  try {
    return JSON.parse(fs.readFileSync(abs, 'utf8'));
  } catch (err) {
    issues.push({ file: relPath, path: '(root)', message: `not valid JSON: ${(err as Error).message}`, hint: 'fix the JSON syntax (a JSON-aware editor shows where)' });
    return undefined;
  }
}

/** Reads `id` and its base chain, base first. */
function readLayers(root: string, id: string, issues: TPackIssue[], seen: string[] = []): TLayer[] | undefined {
  const file = `configs/${id}/pack.json`;
  if (seen.includes(id)) {
    issues.push({ file, path: 'extends', message: `inheritance cycle: ${[...seen, id].join(' → ')}`, hint: 'a pack must not extend itself, directly or through its bases' });
    return undefined;
  }
  const raw = readJsonFile(root, file, issues, 'pack manifest', `no pack "${id}"; available packs: ${listPackIds({ root }).join(', ') || '(none)'}`);
  if (raw === undefined) return undefined;
  if (!isObject(raw)) {
    issues.push({ file, path: '(root)', message: 'pack.json must contain one JSON object', hint: 'start from configs/sample/pack.json' });
    return undefined;
  }
  if (raw.id !== id) issues.push({ file, path: 'id', message: `pack id ${JSON.stringify(raw.id)} does not match its folder "${id}"`, hint: `set "id": "${id}" or rename the folder` });
  const layer: TLayer = { id, file, raw };
  if (raw.extends === undefined) return [layer];
  if (typeof raw.extends !== 'string' || !/^[a-z][a-z0-9-]*@.+$/.test(raw.extends)) {
    issues.push({ file, path: 'extends', message: `"extends" must be "<base-id>@<semver range>", found ${JSON.stringify(raw.extends)}`, hint: 'e.g. "extends": "wiejski@^1.0.0"' });
    return undefined;
  }
  const at = raw.extends.indexOf('@');
  const baseId = raw.extends.slice(0, at);
  const range = raw.extends.slice(at + 1);
  if (!PACK_ID_PATTERN.test(baseId) || !fs.existsSync(path.join(root, 'configs', baseId, 'pack.json'))) {
    issues.push({ file, path: 'extends', message: `base pack "${baseId}" not found`, hint: `available packs: ${listPackIds({ root }).filter((p) => p !== id).join(', ') || '(none)'}` });
    return undefined;
  }
  const base = readLayers(root, baseId, issues, [...seen, id]);
  if (!base) return undefined;
  const baseVersion = base[base.length - 1].raw.version;
  if (semver.validRange(range) === null) {
    issues.push({ file, path: 'extends', message: `"${range}" is not a semver range`, hint: 'e.g. "^1.0.0" or "~1.2.0"' });
    return undefined;
  }
  if (typeof baseVersion !== 'string' || !semver.satisfies(baseVersion, range)) {
    issues.push({ file, path: 'extends', message: `base pack "${baseId}" is version ${String(baseVersion)}, which does not satisfy "${range}"`, hint: `adapt the overlay to ${baseId}@${String(baseVersion)} and update the range` });
    return undefined;
  }
  return [...base, layer];
}

/**
 * Deterministic merge: objects merge by key (the overlay wins), `null` in the overlay removes a key,
 * arrays and scalars are replaced whole.
 */
export function mergeOverlay(base: unknown, overlay: unknown): unknown {
  if (!isObject(base) || !isObject(overlay)) return overlay;
  const out: TJson = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    if (v === null) delete out[k];
    else out[k] = k in base ? mergeOverlay(base[k], v) : v;
  }
  return out;
}

/** Whether `segments` exists in `obj` (used to attribute an issue to the layer that set it). */
function hasPath(obj: unknown, segments: ReadonlyArray<PropertyKey>): boolean {
  let cur: unknown = obj;
  for (const s of segments) {
    if (Array.isArray(cur) && typeof s === 'number') cur = cur[s];
    else if (isObject(cur) && typeof s === 'string' && s in cur) cur = cur[s];
    else return false;
  }
  return true;
}

/** Reads a pack and its bases from disk into a draft (nothing validated yet beyond reading). */
export function readPackDraft(id: string, opts: TLoadOptions = {}): TPackDraft {
  const root = resolveRoot(opts);
  const issues: TPackIssue[] = [];
  const layers = readLayers(root, id, issues);
  const fallbackFile = `configs/${id}/pack.json`;
  if (!layers) {
    return { manifest: undefined, manifestFileFor: () => fallbackFile, forms: {}, flows: {}, assets: {}, issues, lineage: [] };
  }
  const formFiles: Record<string, string> = {};
  const flowFiles: Record<string, string> = {};
  const docFiles: Record<string, string> = {};
  let merged: unknown = {};
  for (const layer of layers) {
    // File paths are relative to the declaring layer's folders; they become root-relative here.
    const resolveFiles = (section: 'forms' | 'flows', dir: string, into: Record<string, string>) => {
      const entries = isObject(layer.raw[section]) ? (layer.raw[section] as TJson) : {};
      for (const [key, ref] of Object.entries(entries)) {
        if (ref === null) {
          delete into[key];
          continue;
        }
        const explicit = isObject(ref) && typeof ref.file === 'string' ? ref.file : undefined;
        if (explicit) into[key] = path.posix.normalize(`${dir}/${layer.id}/${explicit}`);
        else if (!into[key]) into[key] = `${dir}/${layer.id}/${key}.json`;
      }
      // A file of the same key in this layer's folder overrides the base's file.
      for (const key of Object.keys(into)) {
        const candidate = `${dir}/${layer.id}/${key}.json`;
        const explicit = isObject(entries[key]) && typeof (entries[key] as TJson).file === 'string';
        if (!explicit && fs.existsSync(path.join(root, candidate))) into[key] = candidate;
      }
    };
    resolveFiles('forms', 'forms', formFiles);
    resolveFiles('flows', 'flows', flowFiles);
    const docs = isObject(layer.raw.documents) ? (layer.raw.documents as TJson) : {};
    for (const [key, ref] of Object.entries(docs)) {
      if (ref === null) delete docFiles[key];
      else if (isObject(ref) && typeof ref.file === 'string') docFiles[key] = path.posix.normalize(`configs/${layer.id}/${ref.file}`);
    }
    const { extends: _ignored, ...rest } = layer.raw;
    merged = mergeOverlay(merged, layer === layers[layers.length - 1] ? layer.raw : rest);
  }
  const manifest = structuredClone(merged) as TJson;
  const setFile = (section: string, files: Record<string, string>) => {
    if (!isObject(manifest[section])) return;
    for (const [key, ref] of Object.entries(manifest[section] as TJson)) if (isObject(ref) && files[key]) ref.file = files[key];
  };
  setFile('forms', formFiles);
  setFile('flows', flowFiles);
  setFile('documents', docFiles);

  const escapes = (p: string) => p.startsWith('..') || path.isAbsolute(p);
  const loadAll = (files: Record<string, string>, what: string): Record<string, TLoadedFile> => {
    const out: Record<string, TLoadedFile> = {};
    for (const [key, file] of Object.entries(files)) {
      if (escapes(file)) {
        issues.push({ file: fallbackFile, path: `${what}s.${key}.file`, message: `file "${file}" is outside the project`, hint: 'keep pack files under forms/, flows/ and configs/' });
        out[key] = { file };
        continue;
      }
      out[key] = { file, json: readJsonFile(root, file, issues, what) };
    }
    return out;
  };
  const assets: Record<string, string> = {};
  for (const file of Object.values(docFiles)) {
    const abs = path.join(root, file);
    if (!escapes(file) && fs.existsSync(abs)) assets[file] = fs.readFileSync(abs).toString('base64');
  }
  const manifestFileFor = (segments: ReadonlyArray<PropertyKey>): string => {
    // The topmost layer that sets the path owns it; for a missing property, the topmost layer that has
    // its nearest existing parent.
    for (let n = segments.length; n >= 1; n--) {
      for (let i = layers.length - 1; i >= 0; i--) if (hasPath(layers[i].raw, segments.slice(0, n))) return layers[i].file;
    }
    return layers[layers.length - 1].file;
  };
  return {
    manifest,
    manifestFileFor,
    forms: loadAll(formFiles, 'form'),
    flows: loadAll(flowFiles, 'flow'),
    assets,
    issues,
    lineage: layers.map((l) => `${l.id}@${String(l.raw.version)}`),
  };
}

/** Loads and validates one pack by id. */
export function loadPack(id: string, opts: TLoadOptions = {}): TValidation {
  return validatePackDraft(readPackDraft(id, opts));
}

/** Loads and validates every pack under `<root>/configs/`. */
export function loadAllPacks(opts: TLoadOptions = {}): Array<{ id: string; result: TValidation }> {
  return listPackIds(opts).map((id) => ({ id, result: loadPack(id, opts) }));
}

/**
 * Turns a CLI argument into (root, ids): a pack id, a pack folder (`…/configs/<id>`), or a project-like
 * root holding `configs/` (e.g. a broken fixture).
 */
export function locatePacks(arg: string | undefined, opts: TLoadOptions = {}): { root: string; ids: string[] } {
  const root = resolveRoot(opts);
  if (arg === undefined) return { root, ids: listPackIds({ root }) };
  if (PACK_ID_PATTERN.test(arg) && fs.existsSync(path.join(root, 'configs', arg, 'pack.json'))) return { root, ids: [arg] };
  const abs = path.resolve(root, arg);
  if (fs.existsSync(path.join(abs, 'pack.json'))) return { root: path.dirname(path.dirname(abs)), ids: [path.basename(abs)] };
  if (fs.existsSync(path.join(abs, 'configs'))) return { root: abs, ids: listPackIds({ root: abs }) };
  return { root, ids: [arg] };
}
