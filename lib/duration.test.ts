import { describe, expect, it } from 'vitest';
import { addDuration, parseDuration } from './duration';

describe('durations', () => {
  it('adds calendar months and clamps to the month end', () => {
    expect(addDuration(new Date('2026-01-31T10:00:00Z'), 'P1M').toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addDuration(new Date('2026-03-15T00:00:00Z'), 'P13M').toISOString()).toBe('2027-04-15T00:00:00.000Z');
    expect(addDuration(new Date('2026-03-15T00:00:00Z'), 'P14D', -1).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(addDuration(new Date('2026-03-15T00:00:00Z'), 'P1Y2W').toISOString()).toBe('2027-03-29T00:00:00.000Z');
  });
  it('parses time parts and refuses garbage', () => {
    expect(parseDuration('PT1H30M').ms).toBe(5_400_000);
    expect(() => parseDuration('3 months')).toThrow();
  });
});
