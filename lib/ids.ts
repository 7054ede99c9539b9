import { randomUUID } from 'node:crypto';

/** Document ids: random UUIDs from the platform CSPRNG (never Math.random). */
export function newId(): string {
  return randomUUID();
}
