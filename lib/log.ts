import pino from 'pino';
import { env } from './env';

const KEY = Symbol.for('kooperacja.logger');
type G = typeof globalThis & { [KEY]?: pino.Logger };

/**
 * Under vitest the log lines go through `console.log` instead of straight to stdout: vitest captures
 * console output per test and, with `silent: 'passed-only'` (vitest.config.ts), prints it only for a
 * test that failed — so a passing run is quiet and a failing one shows what the server code logged.
 * With LOG_LEVEL set explicitly, everything is printed as usual.
 */
function destination(): pino.DestinationStream | undefined {
  if (!env().VITEST) return undefined;
  return { write: (line: string) => console.log(line.trimEnd()) };
}

/** The one logger. JSON lines on stdout; personal data never goes into log fields. */
export function logger(): pino.Logger {
  const g = globalThis as G;
  if (!g[KEY]) {
    const options: pino.LoggerOptions = {
      level: env().LOG_LEVEL,
      base: { app: 'kooperacja' },
      redact: { paths: ['*.password', '*.passwordHash', 'password', 'req.headers.cookie', 'req.headers.authorization'], remove: true },
    };
    const dest = destination();
    g[KEY] = dest ? pino(options, dest) : pino(options);
  }
  return g[KEY]!;
}
