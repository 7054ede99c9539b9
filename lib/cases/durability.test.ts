/**
 * "Nothing a request does is lost or half-done", end to end on the embedded store: a child process runs
 * the case services in a bounded write loop (cases, form submissions, flow events, consents), we SIGKILL
 * it right after a random acknowledgement — in the middle of the next write — then restart here the way
 * the app boots (packs, then the outbox retry) and find every acknowledged write, with its effects done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempDataDir } from '@/lib/testing/temp-app';
import { closeStore, getStore } from '@/lib/store';
import { bootPacks } from '@/lib/packs/boot';
import { readDemoFiles, seedDemoData } from '@/lib/demo/seed';
import { cols } from './context';
import { retryPendingEffects } from './outbox';

const ROOT = path.resolve(__dirname, '../..');
const WRITER = path.join(__dirname, 'fixtures/case-writer.ts');
const ITERATIONS = 12;
const WRITES_PER_ITERATION = 4;

let cleanup: () => Promise<void>;
let child: ChildProcess | undefined;

beforeAll(async () => {
  cleanup = openTempDataDir('kooperacja-durable-');
  await bootPacks();
  await seedDemoData(readDemoFiles().filter((d) => d.packId === 'sample'));
  // The child opens this data directory (DATA_DIR is inherited); the embedded store serves one process.
  await closeStore();
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await cleanup();
});

/** Starts the writer and SIGKILLs it in the same tick as its `killAt`-th acknowledgement; resolves with all acks read. */
function runWriterUntilKilled(killAt: number): Promise<string[]> {
  // node itself, not the tsx CLI: the CLI runs the script in a grandchild that SIGKILL would not reach.
  const proc = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', WRITER, String(ITERATIONS)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const acks: string[] = [];
  readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
    if (!line.startsWith('ack ')) return;
    acks.push(line.slice(4));
    if (acks.length === killAt) proc.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    // 'close', not 'exit': every line the child wrote has been read by then.
    proc.once('close', (code, signal) => (signal === 'SIGKILL' ? resolve(acks) : reject(new Error(`writer exited on its own (code ${code}):\n${stderr}`))));
  });
}

describe('durability of the case services', () => {
  it('finds every acknowledged case, submission, event and consent after a SIGKILL mid-loop and a restart', { timeout: 120_000 }, async () => {
    const killAt = randomInt(WRITES_PER_ITERATION, ITERATIONS * WRITES_PER_ITERATION - 2);
    const acks = await runWriterUntilKilled(killAt);
    expect(acks.length).toBeGreaterThanOrEqual(killAt);

    // Restart as boot does: open the store, packs, then the effects a killed process left in the outbox.
    await getStore();
    await bootPacks();
    await retryPendingEffects();

    const { cases, submissions, consents, timeline, tasks } = await cols();
    const missing: string[] = [];
    for (const line of acks) {
      const [kind, caseId, ref] = line.split(' ');
      const c = await cases.findById(caseId);
      if (!c) {
        missing.push(`${line}: case not found`);
        continue;
      }
      if (kind === 'submission' || kind === 'consent') {
        const s = await submissions.findById(ref);
        if (s?.status !== 'submitted' || s.caseId !== caseId) missing.push(`${line}: submission not found`);
      }
      if (kind === 'event') {
        if (c.revision < Number(ref) || c.state.value === 'zgloszenie') missing.push(`${line}: event lost (revision ${c.revision}, state ${JSON.stringify(c.state.value)})`);
        if ((await timeline.count({ caseId, kind: 'event', 'data.event': 'PRZYJMIJ' })) !== 1) missing.push(`${line}: no single timeline line`);
      }
      if (kind === 'consent') {
        if ((await consents.count({ submissionId: ref, status: 'active' })) !== 1 || c.consent.status !== 'active') missing.push(`${line}: consent not recorded`);
      }
    }
    expect(missing).toEqual([]);

    // Nothing half-done, acknowledged or not: no effect left in the outbox, and every accepted case got the task its transition creates.
    expect(await cases.count({ 'pendingEffects.0': { $exists: true } })).toBe(0);
    expect(await submissions.count({ 'pendingEffects.0': { $exists: true } })).toBe(0);
    const written = await cases.find({ 'subject.name': { $regex: '^Rodzina Trwała ' } });
    const ackedCases = acks.filter((a) => a.startsWith('case ')).length;
    // A write is acknowledged only once stored, so at most the one in flight exists beyond the acknowledged.
    expect(written.length).toBeGreaterThanOrEqual(ackedCases);
    expect(written.length).toBeLessThanOrEqual(ackedCases + 1);
    for (const c of written.filter((x) => x.state.value !== 'zgloszenie')) {
      expect(await tasks.count({ caseId: c._id, title: 'Zbierz zgodę osoby/rodziny' }), c.number).toBe(1);
    }
  });
});
