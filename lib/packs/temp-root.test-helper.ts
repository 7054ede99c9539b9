import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** A throw-away project root holding a copy of the sample pack (configs/, forms/, flows/). */
export function makeSampleRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kooperacja-packs-'));
  for (const top of ['configs', 'forms', 'flows']) fs.cpSync(path.join(ROOT, top, 'sample'), path.join(dir, top, 'sample'), { recursive: true });
  return dir;
}

export function readJson(root: string, rel: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8')) as Record<string, unknown>;
}

export function writeJson(root: string, rel: string, value: unknown): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), `${JSON.stringify(value, null, 2)}\n`);
}
