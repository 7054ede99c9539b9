/**
 * The one clock. Deadlines and reminders read `now()`, so tests and journeys can move time forward
 * ("twelve months later") without waiting. The offset lives in this process only; it is changed
 * through the test API, which production refuses (see lib/env.ts ENABLE_TEST_API).
 */
const KEY = Symbol.for('kooperacja.clockOffsetMs');
type G = typeof globalThis & { [KEY]?: number };

export function now(): Date {
  return new Date(Date.now() + ((globalThis as G)[KEY] ?? 0));
}

export function clockOffsetMs(): number {
  return (globalThis as G)[KEY] ?? 0;
}

export function setClockOffsetMs(ms: number): void {
  (globalThis as G)[KEY] = ms;
}
