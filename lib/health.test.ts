import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTempDataDir, setTestEnv } from '@/lib/testing/temp-app';
import { getTestRedis } from '@/lib/testing/redis';
import { closeJobs } from '@/lib/jobs';
import { GET } from '@/app/api/health/route';

const redis = getTestRedis();
let cleanup: () => Promise<void>;

async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await GET(new Request('http://localhost/api/health'));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function setRedis(url: string | undefined): void {
  setTestEnv({ REDIS_URL: url, JOBS_PREFIX: `kooperacja-health-${process.pid}` });
}

beforeAll(() => {
  cleanup = openTempDataDir('kooperacja-health-');
});
afterEach(async () => {
  await closeJobs();
  setRedis(undefined);
});
afterAll(async () => cleanup());

describe('GET /api/health', () => {
  it('reports the embedded store, in-process jobs and the package version', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', store: 'embedded', jobs: 'inprocess', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it.skipIf(!redis)('reports BullMQ when REDIS_URL points at a real Redis', async () => {
    setRedis(redis!.url);
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', jobs: 'bullmq' });
  });

  it('answers 503 "degraded" naming the unreachable part when a configured engine is down', async () => {
    setRedis(`redis://127.0.0.1:${await closedPort()}`);
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'degraded', jobs: 'bullmq', failing: [{ part: 'jobs', reason: expect.any(String) }] });
  });
});
