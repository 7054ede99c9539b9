import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const rootDir = path.resolve(__dirname, '..');
const requireFromRoot = createRequire(path.join(rootDir, 'package.json'));

type TFormioCdn = Record<string, string>;

/** Form.io's own CDN resolver, configured the way the client configures it. */
function createFormioCdn(baseUrl: string): TFormioCdn {
  const cdnModule = requireFromRoot(path.join(rootDir, 'node_modules/@formio/js/lib/cjs/CDN.js')) as {
    default: new (baseUrl: string) => TFormioCdn;
  };
  return new cdnModule.default(baseUrl);
}

function runScript(targetDir: string): string {
  return execFileSync(process.execPath, [path.join(rootDir, 'node_modules/tsx/dist/cli.mjs'), 'scripts/copy-formio-assets.ts', '--target', targetDir], {
    cwd: rootDir,
    encoding: 'utf8',
  });
}

describe('copy-formio-assets', () => {
  let targetDir: string;
  let firstRun: string;

  beforeAll(() => {
    targetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'formio-cdn-'));
    firstRun = runScript(targetDir);
  });

  afterAll(() => {
    fs.rmSync(targetDir, { recursive: true, force: true });
  });

  it('serves every file Form.io lazy-loads under the URLs its CDN resolver builds', () => {
    const cdn = createFormioCdn('/formio-cdn');
    // The requests CalendarWidget and Component.addAce/addQuill make (node_modules/@formio/js/lib/cjs).
    const requested = [
      `${cdn['flatpickr-formio']}/flatpickr.min.js`,
      `${cdn['flatpickr-formio']}/flatpickr.min.css`,
      `${cdn['flatpickr-formio']}/l10n/flatpickr-pl.js`,
      `${cdn['moment-timezone']}/data/packed/latest.json`,
      `${cdn.ace}/ace.js`,
      `${cdn.ace}/mode-json.js`,
      `${cdn.ace}/mode-javascript.js`,
      `${cdn.quill}/quill.js`,
      `${cdn.quill}/quill.snow.css`,
      `${cdn.quill}/quill.bubble.css`,
      `${cdn.flatpickr}/flatpickr.min.js`,
    ];
    const missing = requested.filter((url) => !fs.existsSync(path.join(targetDir, url.replace(/^\/formio-cdn\//, ''))));
    expect(missing).toEqual([]);
  });

  it('makes the Polish calendar locale resolve the global Form.io polls for', () => {
    const sandbox = vm.createContext({ navigator: { userAgent: 'vitest' } });
    vm.runInContext('var window = this; var self = this;', sandbox);
    vm.runInContext(fs.readFileSync(path.join(targetDir, 'flatpickr-formio/flatpickr.min.js'), 'utf8'), sandbox);
    vm.runInContext(fs.readFileSync(path.join(targetDir, 'flatpickr-formio/l10n/flatpickr-pl.js'), 'utf8'), sandbox);
    const globals = sandbox as Record<string, unknown> & { flatpickr: { l10ns: Record<string, { months: { longhand: string[] } }> } };
    expect(globals['flatpickr-pl']).toBeTruthy();
    expect(globals.flatpickr.l10ns.pl.months.longhand[0]).toBe('Styczeń');
  });

  it('copies nothing on a second run and reports it in one line', () => {
    expect(firstRun.trim().split('\n')).toHaveLength(1);
    const secondRun = runScript(targetDir);
    expect(secondRun).toMatch(/\(0 copied, 0 generated, \d+ up to date, 0 removed\)/);
  });

  it('removes files that are no longer part of the layout', () => {
    const stale = path.join(targetDir, 'ace', 'stale-file.js');
    fs.writeFileSync(stale, '// left over');
    expect(runScript(targetDir)).toMatch(/1 removed/);
    expect(fs.existsSync(stale)).toBe(false);
  });
});
