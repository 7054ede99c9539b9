/**
 * Self-hosts the libraries Form.io lazy-loads in the browser, so forms work without internet.
 *
 * The client sets `Formio.cdn.setBaseUrl(origin + '/formio-cdn')`. For a base URL that is not
 * cdn.form.io, `CDN.buildUrl` (node_modules/@formio/js/lib/cjs/CDN.js) yields `<base>/<lib>` with no
 * version segment, so each library lives in `public/formio-cdn/<lib>/` under the names Form.io asks for:
 *   flatpickr-formio/flatpickr.min.{js,css}, flatpickr-formio/l10n/flatpickr-<locale>.js (CalendarWidget)
 *   ace/ace.js (+ modes, themes, workers next to it)                                       (Component.addAce)
 *   quill/quill.js, quill/quill.<theme>.css                                               (Component.addQuill)
 *   moment-timezone/data/packed/latest.json                                    (CalendarWidget.loadZones)
 *   flatpickr/ (the plain `Formio.cdn.flatpickr` entry, kept for plugins and overrides)
 * Idempotent: copies only files whose size or mtime differ and removes files no longer in the plan.
 * Usage: `npm run assets` (also run by `npm run setup` and the browser test harness);
 * `--target <dir>` writes elsewhere (used by the script's test).
 */
import fs from 'node:fs';
import path from 'node:path';

const rootDir = path.resolve(__dirname, '..');
const nodeModulesDir = path.join(rootDir, 'node_modules');

function parseTargetDir(argv: string[]): string {
  const index = argv.indexOf('--target');
  if (index === -1) return path.join(rootDir, 'public', 'formio-cdn');
  const value = argv[index + 1];
  if (!value) throw new Error('copy-formio-assets: --target needs a directory');
  return path.resolve(value);
}

const targetDir = parseTargetDir(process.argv.slice(2));

type TCopyTree = { kind: 'tree'; from: string; to: string; skip?: (relPath: string) => boolean };
type TCopyFile = { kind: 'file'; from: string; to: string };
type TGenerated = { kind: 'generated'; to: string; content: string };
type TPlanItem = TCopyTree | TCopyFile | TGenerated;

type TCounts = { copied: number; unchanged: number; generated: number; removed: number };

/** Finds an installed package: hoisted, or nested under @formio/js when npm could not hoist it. */
function findPackageDir(name: string): string | undefined {
  const candidates = [path.join(nodeModulesDir, name), path.join(nodeModulesDir, '@formio', 'js', 'node_modules', name)];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'package.json')));
}

function requirePackageDir(name: string): string {
  const dir = findPackageDir(name);
  if (!dir) throw new Error(`copy-formio-assets: package "${name}" is not installed; run npm install`);
  return dir;
}

function listFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(path.join(dir, entry.name), rel));
    else if (entry.isFile()) files.push(rel);
  }
  return files;
}

/** Type declarations, ES-module builds and source maps are never requested by the browser loader. */
function isFlatpickrBrowserFile(relPath: string): boolean {
  return !relPath.startsWith('esm/') && !relPath.startsWith('types/') && !relPath.endsWith('.d.ts') && !relPath.endsWith('.map');
}

/**
 * CalendarWidget loads `l10n/flatpickr-<locale>.js` and then polls `window['flatpickr-<locale>']`;
 * Form.io's own flatpickr build exports the locale under that global. The stock flatpickr l10n UMD files
 * export it as `window.<locale>`, so without this rename the poll never resolves and the calendar never
 * opens. The file still registers the locale in `flatpickr.l10ns`, which is what flatpickr reads.
 */
function renameLocaleGlobal(source: string, locale: string, fileName: string): string {
  const umdExport = /factory\(global(?:\.[\w$]+|\[(['"])[^'"]+\1\]) = \{\}\)/;
  if (!umdExport.test(source)) throw new Error(`copy-formio-assets: unexpected UMD header in flatpickr l10n/${fileName}`);
  return source.replace(umdExport, `factory(global[${JSON.stringify(`flatpickr-${locale}`)}] = {})`);
}

function buildPlan(): TPlanItem[] {
  const flatpickrDist = path.join(requirePackageDir('flatpickr'), 'dist');
  const aceDir = path.join(requirePackageDir('ace-builds'), 'src-min-noconflict');
  const plan: TPlanItem[] = [
    { kind: 'tree', from: flatpickrDist, to: 'flatpickr', skip: (rel) => !isFlatpickrBrowserFile(rel) },
    { kind: 'tree', from: flatpickrDist, to: 'flatpickr-formio', skip: (rel) => !isFlatpickrBrowserFile(rel) },
    { kind: 'tree', from: aceDir, to: 'ace' },
  ];

  const l10nDir = path.join(flatpickrDist, 'l10n');
  for (const fileName of fs.readdirSync(l10nDir)) {
    if (!fileName.endsWith('.js') || fileName === 'index.js' || fileName === 'default.js') continue;
    const locale = fileName.slice(0, -'.js'.length);
    const content = renameLocaleGlobal(fs.readFileSync(path.join(l10nDir, fileName), 'utf8'), locale, fileName);
    plan.push({ kind: 'generated', to: `flatpickr-formio/l10n/flatpickr-${locale}.js`, content });
  }

  // Transitive dependencies of @formio/js: used by rich-text text areas and timezone display only.
  const quillDir = findPackageDir('quill');
  if (quillDir && fs.existsSync(path.join(quillDir, 'dist', 'quill.js'))) {
    plan.push({ kind: 'tree', from: path.join(quillDir, 'dist'), to: 'quill', skip: (rel) => rel.endsWith('.map') });
  }
  const momentTimezoneDir = findPackageDir('moment-timezone');
  const zonesFile = momentTimezoneDir && path.join(momentTimezoneDir, 'data', 'packed', 'latest.json');
  if (zonesFile && fs.existsSync(zonesFile)) {
    plan.push({ kind: 'file', from: zonesFile, to: 'moment-timezone/data/packed/latest.json' });
  }
  return plan;
}

function copyIfChanged(from: string, to: string, counts: TCounts): void {
  const source = fs.statSync(from);
  const target = fs.statSync(to, { throwIfNoEntry: false });
  // utimes keeps milliseconds only roughly (the Date round-trip rounds), hence the tolerance.
  if (target && target.size === source.size && Math.abs(target.mtimeMs - source.mtimeMs) < 2) {
    counts.unchanged += 1;
    return;
  }
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
  // Keeping the source mtime is what makes the next run's size+mtime check reliable.
  fs.utimesSync(to, source.atime, source.mtime);
  counts.copied += 1;
}

function writeIfChanged(to: string, content: string, counts: TCounts): void {
  const existing = fs.existsSync(to) ? fs.readFileSync(to, 'utf8') : undefined;
  if (existing === content) {
    counts.unchanged += 1;
    return;
  }
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.writeFileSync(to, content);
  counts.generated += 1;
}

function removeStaleFiles(expected: Set<string>, counts: TCounts): void {
  if (!fs.existsSync(targetDir)) return;
  for (const rel of listFiles(targetDir)) {
    if (expected.has(rel)) continue;
    fs.rmSync(path.join(targetDir, rel));
    counts.removed += 1;
  }
}

function copyFormioAssets(): void {
  const startedAt = performance.now();
  const counts: TCounts = { copied: 0, unchanged: 0, generated: 0, removed: 0 };
  const expected = new Set<string>();

  for (const item of buildPlan()) {
    if (item.kind === 'tree') {
      for (const rel of listFiles(item.from)) {
        if (item.skip?.(rel)) continue;
        const to = `${item.to}/${rel}`;
        expected.add(to);
        copyIfChanged(path.join(item.from, rel), path.join(targetDir, to), counts);
      }
    } else if (item.kind === 'file') {
      expected.add(item.to);
      copyIfChanged(item.from, path.join(targetDir, item.to), counts);
    } else {
      expected.add(item.to);
      writeIfChanged(path.join(targetDir, item.to), item.content, counts);
    }
  }
  removeStaleFiles(expected, counts);

  const seconds = ((performance.now() - startedAt) / 1000).toFixed(2);
  console.log(
    `formio-cdn: ${expected.size} files in ${path.relative(rootDir, targetDir) || '.'} (${counts.copied} copied, ${counts.generated} generated, ` +
      `${counts.unchanged} up to date, ${counts.removed} removed) in ${seconds} s`,
  );
}

copyFormioAssets();
