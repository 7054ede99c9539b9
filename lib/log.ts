import pino from 'pino';
import { env } from './env';

const KEY = Symbol.for('kooperacja.logger');
type G = typeof globalThis & { [KEY]?: pino.Logger };

/** The one logger. JSON lines on stdout; personal data never goes into log fields. */
export function logger(): pino.Logger {
  const g = globalThis as G;
  if (!g[KEY]) {
    g[KEY] = pino({
      level: env().LOG_LEVEL,
      base: { app: 'kooperacja' },
      redact: { paths: ['*.password', '*.passwordHash', 'password', 'req.headers.cookie', 'req.headers.authorization'], remove: true },
    });
  }
  return g[KEY]!;
}
