import 'server-only';
import pkg from '@/package.json';
import { env } from '@/lib/env';
import { getStore } from '@/lib/store';
import { getJobs } from '@/lib/jobs';
import { refusedPacks } from '@/lib/packs/boot';

export interface THealth {
  status: 'ok' | 'degraded';
  store: 'embedded' | 'mongodb';
  jobs: 'inprocess' | 'bullmq';
  version: string;
  /** Only present when degraded: which configured part is unreachable, with a short reason. */
  failing?: { part: 'store' | 'jobs'; reason: string }[];
  /** Packs under configs/ refused at start (they fail alone; every other region runs). */
  refusedPacks?: { id: string; issues: number; first: string }[];
}

const PING_TIMEOUT_MS = 2_000;

/** Pings each configured engine; a part that does not answer within the timeout makes the app degraded. */
export async function checkHealth(): Promise<THealth> {
  const e = env();
  const failing: NonNullable<THealth['failing']> = [];
  const [storeErr, jobsErr] = await Promise.all([
    probe(async () => (await getStore()).ping()),
    probe(async () => (await getJobs()).ping()),
  ]);
  if (storeErr) failing.push({ part: 'store', reason: storeErr });
  if (jobsErr) failing.push({ part: 'jobs', reason: jobsErr });
  const refused = refusedPacks().map((r) => ({ id: r.id, issues: r.issues.length, first: `${r.issues[0]?.file}:${r.issues[0]?.path} — ${r.issues[0]?.message}` }));
  return {
    status: failing.length ? 'degraded' : 'ok',
    store: e.MONGODB_URI ? 'mongodb' : 'embedded',
    jobs: e.REDIS_URL ? 'bullmq' : 'inprocess',
    version: pkg.version,
    ...(failing.length ? { failing } : {}),
    ...(refused.length ? { refusedPacks: refused } : {}),
  };
}

async function probe(fn: () => Promise<unknown>): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      }),
    ]);
    return undefined;
  } catch (err) {
    // The reason names the failure kind only; connection strings never leave the server.
    return err instanceof Error ? err.message.replace(/\/\/[^@\s]*@/g, '//***@').slice(0, 200) : 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}
