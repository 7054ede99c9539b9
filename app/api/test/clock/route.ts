import { z } from 'zod';
import { route } from '@/lib/http/route';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { addDuration } from '@/lib/duration';
import { clockOffsetMs, now, setClockOffsetMs } from '@/lib/clock';
import { sweepOnce } from '@/lib/jobs';

export const dynamic = 'force-dynamic';

/**
 * Test API (ENABLE_TEST_API=true, never in production): moves the simulated clock forward ("three months
 * later") and sweeps due deadlines at once, so journeys can check reminders without waiting.
 */
export const POST = route({
  summary: 'Test only: move the simulated clock (ISO duration or reset) and process due deadlines',
  tags: ['test'],
  access: 'public',
  body: z.object({ advance: z.string().regex(/^P/).optional(), reset: z.boolean().optional() }),
  handler: async ({ body }) => {
    if (!env().ENABLE_TEST_API) throw new AppError('not_found', 'Nie znaleziono.');
    if (body.reset) setClockOffsetMs(0);
    if (body.advance) setClockOffsetMs(clockOffsetMs() + (addDuration(now(), body.advance).getTime() - now().getTime()));
    const swept = await sweepOnce();
    // Give the in-process worker a moment to run what the sweep queued.
    await new Promise((r) => setTimeout(r, 300));
    return { now: now().toISOString(), offsetMs: clockOffsetMs(), swept };
  },
});
