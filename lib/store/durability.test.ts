import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { randomInt } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '@/lib/errors';
import type { TBaseDoc } from './types';
import { availableEngineNames, createTestEngine, type TTestEngine } from './fixtures/engines';

/**
 * "An acknowledged write is never lost": a child process writes documents one by one and reports each
 * acknowledgement; we SIGKILL it (no exit handlers, no flush) and a fresh open must find every
 * acknowledged document.
 */

const ROOT = path.resolve(__dirname, '../..');
const WRITER = path.join(__dirname, 'fixtures/durability-writer.ts');
const COUNT = 500;

interface TWriter {
  child: ChildProcess;
  acks: string[];
  /** Resolves once `n` acks arrived (the kill, when asked, has already been sent by then). */
  waitForAcks(n: number, killAtAck?: boolean): Promise<void>;
  exited: Promise<void>;
}

function startWriter(engine: TTestEngine): TWriter {
  const loc = engine.location;
  const args = engine.name === 'embedded' ? ['embedded', loc.dataDir!, String(COUNT)] : ['mongodb', loc.mongoUri!, loc.mongoDb!, String(COUNT)];
  // node itself, not the tsx CLI: the CLI runs the script in a grandchild that SIGKILL would not reach.
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', WRITER, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const acks: string[] = [];
  let target = Infinity;
  let killAt = false;
  let reached: () => void = () => undefined;
  const exited = new Promise<void>((resolve, reject) => {
    // 'close', not 'exit': every line the child wrote has been read by then.
    child.once('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`writer exited on its own (code ${code}):\n${stderr}`));
    });
  });
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('ack ')) return;
    acks.push(line.slice(4));
    if (acks.length === target) {
      // Synchronously, in the same tick the ack arrived: nothing gets a chance to flush.
      if (killAt) child.kill('SIGKILL');
      reached();
    }
  });
  return {
    child,
    acks,
    exited,
    waitForAcks(n, killAtAck = false) {
      target = n;
      killAt = killAtAck;
      return Promise.race([new Promise<void>((resolve) => (reached = resolve)), exited.then(() => Promise.reject(new Error(`writer died:\n${stderr}`)))]);
    },
  };
}

describe.each(availableEngineNames())('durability: %s engine', (engineName) => {
  let engine: TTestEngine | undefined;
  let writer: TWriter | undefined;

  afterEach(async () => {
    if (writer && writer.child.exitCode === null && writer.child.signalCode === null) {
      writer.child.kill('SIGKILL');
      await writer.exited;
    }
    writer = undefined;
    await engine?.destroy();
    engine = undefined;
  });

  async function expectAllAcknowledgedPresent(acks: string[]): Promise<void> {
    const store = await engine!.open();
    try {
      const items = store.collection<TBaseDoc & { n: number; at: Date }>('testItems');
      const found = await items.find({ _id: { $in: acks } });
      expect(found).toHaveLength(acks.length);
      expect(found.every((d) => d.at instanceof Date && d.revision === 1)).toBe(true);
      // A write is acknowledged only after it is stored, so nothing beyond the next one can exist.
      expect(await items.count()).toBeLessThanOrEqual(acks.length + 1);
    } finally {
      await store.close();
    }
  }

  it(`keeps all ${COUNT} acknowledged documents when killed right after the last acknowledgement`, async () => {
    engine = await createTestEngine(engineName);
    writer = startWriter(engine);
    await writer.waitForAcks(COUNT, true);
    await writer.exited;
    expect(writer.acks).toHaveLength(COUNT);
    await expectAllAcknowledgedPresent(writer.acks);
  });

  it('keeps every acknowledged document when killed mid-stream', async () => {
    engine = await createTestEngine(engineName);
    writer = startWriter(engine);
    const killAfter = randomInt(1, COUNT);
    await writer.waitForAcks(killAfter, true);
    await writer.exited;
    expect(writer.acks.length).toBeGreaterThanOrEqual(killAfter);
    await expectAllAcknowledgedPresent(writer.acks);
  });

  if (engineName === 'embedded') {
    it('refuses a second process on the same data directory, and takes over the lock of a killed one', async () => {
      engine = await createTestEngine(engineName);
      writer = startWriter(engine);
      await writer.waitForAcks(1);
      let error: unknown;
      try {
        await engine.open();
      } catch (e) {
        error = e;
      }
      expect(isAppError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'unavailable', message: expect.stringContaining(`in use by process ${writer.child.pid}`) });

      writer.child.kill('SIGKILL');
      await writer.exited;
      await expectAllAcknowledgedPresent(writer.acks);
    });
  }
});
