import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { env } from '@/lib/env';

const KEY = Symbol.for('kooperacja.authSecret');
type G = typeof globalThis & { [KEY]?: string };

/**
 * The session signing secret: NEXTAUTH_SECRET when set; otherwise one generated at first start and kept
 * in DATA_DIR (mode 0600), so a single-node install works out of the box and sessions survive restarts.
 */
export function authSecret(): string {
  const g = globalThis as G;
  if (g[KEY]) return g[KEY];
  const configured = env().NEXTAUTH_SECRET;
  if (configured) return (g[KEY] = configured);
  const file = path.join(env().dataDir, 'auth-secret');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return (g[KEY] = fs.readFileSync(file, 'utf8').trim());
}
