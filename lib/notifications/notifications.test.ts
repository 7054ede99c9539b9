import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTempDataDir, setTestEnv } from '@/lib/testing/temp-app';
import { env } from '@/lib/env';
import { getStore } from '@/lib/store';
import { closeJobs, getJobs } from '@/lib/jobs';
import { findJobDefinition, registerJobForTests } from '@/lib/jobs/registry';
import type { TJobRunDoc } from '@/lib/jobs/inprocess';
import { waitFor } from '@/lib/jobs/test-helpers';
import { readDemoFiles, seedDemoData } from '@/lib/demo/seed';
import { bootPacks } from '@/lib/packs/boot';
import type { TInstitution, TScope, TUser } from '@/lib/orgs/types';
import type { TPrincipal } from '@/lib/policy/policy';
import { NOTIFICATION_EMAIL_JOB, notificationEmailJobId, sendNotificationEmailJob } from './jobs/send-notification-email';
import { countUnread, listNotifications, markRead } from './inbox';
import { notifyInstitutionRoles, notifyUsers } from './notify';
import { describeUnread, type TNotification } from './types';

/** A local SMTP sink on a free loopback port that keeps what it receives (and can refuse the first attempts). */
interface TSink {
  url: string;
  messages: { rcpt: string[]; raw: string }[];
  attempts: number;
  close(): Promise<void>;
}
async function startSink(opts: { refuseFirst?: number } = {}): Promise<TSink> {
  const sink: Omit<TSink, 'url' | 'close'> = { messages: [], attempts: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        sink.attempts++;
        if (sink.attempts <= (opts.refuseFirst ?? 0)) {
          callback(Object.assign(new Error('Service temporarily unavailable'), { responseCode: 451 }));
          return;
        }
        sink.messages.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return { ...sink, get messages() { return sink.messages; }, get attempts() { return sink.attempts; }, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The text a reader sees: headers unfolded, encoded words and quoted-printable decoded. */
function readableMail(raw: string): { subject: string; text: string } {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const subjectRaw = /^Subject: (.*)$/im.exec(headers)?.[1] ?? '';
  const subject = subjectRaw
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, enc: string, s: string) =>
      enc.toLowerCase() === 'b' ? Buffer.from(s, 'base64').toString('utf8') : Buffer.from(s.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
  const body = rest.join('\n\n');
  const text = /quoted-printable/i.test(headers)
    ? Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
    : /base64/i.test(headers)
      ? Buffer.from(body, 'base64').toString('utf8')
      : body;
  return { subject, text };
}

const principalOf = (u: TUser): TPrincipal => ({ userId: u._id, name: u.name, email: u.email, platformAdmin: false, regionAdminOf: [], memberships: [], teams: [] });

let cleanup: () => Promise<void>;
let unregisterJob: (() => void) | undefined;
const user: Record<string, TUser> = {};
let opsZielona: TInstitution;
let scopeZielona: TScope;

/** Points env() at the sink (or at no SMTP server). */
function setSmtp(url: string | undefined): void {
  setTestEnv({ SMTP_URL: url });
}

beforeAll(async () => {
  cleanup = openTempDataDir('kooperacja-notifications-');
  setSmtp(undefined);
  // Until lib/jobs/registry.ts lists the job in JOBS, the tests register it themselves.
  if (!findJobDefinition(NOTIFICATION_EMAIL_JOB)) unregisterJob = registerJobForTests(sendNotificationEmailJob);
  await bootPacks();
  await seedDemoData(readDemoFiles().filter((d) => d.packId === 'sample'));
  const store = await getStore();
  const users = store.collection<TUser>('users');
  const institutions = store.collection<TInstitution>('institutions');
  opsZielona = (await institutions.findOne({ code: 'ops-zielona' }))!;
  const opsLipowa = (await institutions.findOne({ code: 'ops-lipowa' }))!;
  scopeZielona = { regionId: opsZielona.regionId, powiatId: opsZielona.powiatId, gminaId: opsZielona.gminaId };
  for (const [key, email] of [['ps', 'ps@sample.kooperacja.test'], ['kierownik', 'kierownik@sample.kooperacja.test'], ['pedagog', 'pedagog@sample.kooperacja.test'], ['psLipowa', 'ps.lipowa@sample.kooperacja.test']] as const) {
    user[key] = (await users.findOne({ email }))!;
  }
  // Holders of the coordinator role who must NOT be notified: ended, not yet started, disabled account, other institution.
  const day = 24 * 3600_000;
  const base = { mustChangePassword: false, platformAdmin: false, regionAdminOf: [], status: 'active' as const };
  user.ended = await users.insertOne({ ...base, email: 'byly@test.pl', name: 'Były Kierownik', memberships: [{ institutionId: opsZielona._id, roles: ['kierownik-ops'], since: new Date(Date.now() - 30 * day), until: new Date(Date.now() - day) }] });
  user.future = await users.insertOne({ ...base, email: 'przyszly@test.pl', name: 'Przyszły Kierownik', memberships: [{ institutionId: opsZielona._id, roles: ['kierownik-ops'], since: new Date(Date.now() + day) }] });
  user.disabled = await users.insertOne({ ...base, status: 'disabled', email: 'wylaczony@test.pl', name: 'Wyłączony Kierownik', memberships: [{ institutionId: opsZielona._id, roles: ['kierownik-ops'], since: new Date(Date.now() - day) }] });
  user.elsewhere = await users.insertOne({ ...base, email: 'lipowa.kier@test.pl', name: 'Kierownik Lipowej', memberships: [{ institutionId: opsLipowa._id, roles: ['kierownik-ops'], since: new Date(Date.now() - day) }] });
});

afterEach(async () => {
  await closeJobs();
  setSmtp(undefined);
});

afterAll(async () => {
  unregisterJob?.();
  await cleanup();
});

const content = (over: Partial<Parameters<typeof notifyUsers>[0]> = {}) => ({
  kind: 'reminder' as const,
  title: 'Termin zadania mija jutro',
  body: 'Zadanie z planu współpracy w sprawie 2026/7',
  link: '/sprawy/abc/zadania/t1',
  scope: scopeZielona,
  ...over,
});

async function emailRuns(): Promise<TJobRunDoc[]> {
  return (await getStore()).collection<TJobRunDoc>('jobRuns').find({ name: NOTIFICATION_EMAIL_JOB });
}

describe('notifyUsers', () => {
  it('never creates the same reminder twice for a dedupeKey, even when calls race', async () => {
    const key = 'deadline:d1:reminder';
    const first = await notifyUsers({ ...content({ dedupeKey: key }), userIds: [user.ps._id, user.kierownik._id] });
    expect(first.created).toHaveLength(2);
    const again = await Promise.all([1, 2, 3].map(() => notifyUsers({ ...content({ dedupeKey: key }), userIds: [user.ps._id, user.kierownik._id] })));
    expect(again.flatMap((r) => r.created)).toEqual([]);
    expect(again[0].duplicates.sort()).toEqual([user.ps._id, user.kierownik._id].sort());
    const stored = await (await getStore()).collection<TNotification>('notifications').find({ dedupeKey: { $regex: '^deadline:d1:reminder/' } });
    expect(stored).toHaveLength(2);
    // Without a key, each call is a new notification.
    await notifyUsers({ ...content({ kind: 'info' }), userIds: [user.ps._id] });
    await notifyUsers({ ...content({ kind: 'info' }), userIds: [user.ps._id] });
    expect(await (await getStore()).collection('notifications').count({ userId: user.ps._id, kind: 'info' })).toBe(2);
  });

  it('refuses a PESEL-like number in the title or body, and links that leave the app', async () => {
    await expect(notifyUsers({ ...content({ title: 'Sprawa 85010112345' }), userIds: [user.ps._id] })).rejects.toMatchObject({ code: 'validation' });
    await expect(notifyUsers({ ...content({ body: 'PESEL: 85010112345.' }), userIds: [user.ps._id] })).rejects.toMatchObject({ code: 'validation' });
    await expect(notifyUsers({ ...content({ link: 'https://evil.example/x' }), userIds: [user.ps._id] })).rejects.toMatchObject({ code: 'validation' });
    await expect(notifyUsers({ ...content({ link: '//evil.example/x' }), userIds: [user.ps._id] })).rejects.toMatchObject({ code: 'validation' });
  });

  it('enqueues no e-mail job when SMTP is not configured', async () => {
    const r = await notifyUsers({ ...content({ dedupeKey: 'no-smtp' }), userIds: [user.pedagog._id] });
    expect(r.created).toHaveLength(1);
    expect(await emailRuns()).toEqual([]);
  });
});

describe('notifyUsers after a crash', () => {
  it('queues the e-mail of an existing, unsent notification again when the same deadline fires again', async () => {
    setSmtp('smtp://127.0.0.1:9'); // configured, but no worker runs in this test: jobs only queue
    const first = await notifyUsers({ ...content({ dedupeKey: 'crash-1' }), userIds: [user.pedagog._id] });
    const jobId = notificationEmailJobId(first.created[0]._id);
    const runs = (await getStore()).collection<TJobRunDoc>('jobRuns');
    expect(await runs.count({ _id: jobId })).toBe(1);
    // The crash: the notification was stored, the job was not.
    await runs.deleteMany({ _id: jobId });
    const again = await notifyUsers({ ...content({ dedupeKey: 'crash-1' }), userIds: [user.pedagog._id] });
    expect(again.created).toEqual([]);
    expect(await runs.count({ _id: jobId })).toBe(1);
    await runs.deleteMany({ _id: jobId });
  });
});

describe('notifyInstitutionRoles', () => {
  it('resolves only active memberships of the institution holding one of the roles', async () => {
    const r = await notifyInstitutionRoles({ ...content({ kind: 'escalation', dedupeKey: 'esc-1' }), institutionId: opsZielona._id, roles: ['kierownik-ops', 'koordynator'] });
    expect(r.userIds).toEqual([user.kierownik._id]);
    expect(r.created.map((n) => n.userId)).toEqual([user.kierownik._id]);
    expect(r.created[0]).toMatchObject({ regionId: opsZielona.regionId, gminaId: opsZielona.gminaId, kind: 'escalation' });
  });

  it('resolves by scope: a gmina only reaches its own institutions, a powiat all of them', async () => {
    const gmina = await notifyInstitutionRoles({ ...content(), scope: scopeZielona, roles: ['pracownik-socjalny'] });
    expect(gmina.userIds).toEqual([user.ps._id]);
    const powiat = await notifyInstitutionRoles({ ...content(), scope: { regionId: scopeZielona.regionId, powiatId: scopeZielona.powiatId }, roles: ['pracownik-socjalny'] });
    expect(powiat.userIds.sort()).toEqual([user.ps._id, user.psLipowa._id].sort());
  });
});

describe('inbox', () => {
  it('lists unread first, marks read only the caller’s own, counts unread', async () => {
    const me = principalOf(user.psLipowa);
    const a = (await notifyUsers({ ...content({ title: 'A' }), userIds: [user.psLipowa._id] })).created[0];
    await notifyUsers({ ...content({ title: 'B' }), userIds: [user.psLipowa._id] });
    const before = await countUnread(me);
    expect(await markRead(me, [a._id])).toBe(1);
    // Somebody else's notification is not the caller's to mark.
    const foreign = (await notifyUsers({ ...content({ title: 'C' }), userIds: [user.pedagog._id] })).created[0];
    expect(await markRead(me, [foreign._id])).toBe(0);
    expect(await countUnread(me)).toBe(before - 1);
    const list = await listNotifications(me, {});
    const titles = list.items.map((i) => i.title);
    expect(titles.indexOf('B')).toBeLessThan(titles.indexOf('A'));
    expect(list.items.find((i) => i.id === a._id)?.readAt).toBeDefined();
    const lastUnread = list.items.map((i) => !i.readAt).lastIndexOf(true);
    const firstRead = list.items.findIndex((i) => i.readAt);
    expect(lastUnread).toBeLessThan(firstRead);
    expect(list.items.map((i) => i.id)).not.toContain(foreign._id);
    const unreadOnly = await listNotifications(me, { unreadOnly: true });
    expect(unreadOnly.items.every((i) => !i.readAt)).toBe(true);
    expect(await markRead(me, 'all')).toBe(await countUnread(me) + before - 1);
    expect(await countUnread(me)).toBe(0);
    expect(await countUnread(principalOf(user.pedagog))).toBeGreaterThan(0);
  });
});

describe('bell label', () => {
  it('uses Polish plural forms', () => {
    expect(describeUnread(0)).toBe('Powiadomienia: brak nieprzeczytanych');
    expect(describeUnread(1)).toBe('Powiadomienia: 1 nieprzeczytane powiadomienie');
    expect(describeUnread(3)).toBe('Powiadomienia: 3 nieprzeczytane powiadomienia');
    expect(describeUnread(5)).toBe('Powiadomienia: 5 nieprzeczytanych powiadomień');
    expect(describeUnread(22)).toBe('Powiadomienia: 22 nieprzeczytane powiadomienia');
    expect(describeUnread(12)).toBe('Powiadomienia: 12 nieprzeczytanych powiadomień');
  });
});

describe('e-mail', () => {
  it('delivers one e-mail to the recipient with the title and an absolute link, and no personal data', async () => {
    const sink = await startSink();
    try {
      setSmtp(sink.url);
      await getJobs().startWorker();
      const r = await notifyUsers({
        ...content({ title: 'Przypomnienie o terminie', body: 'Jan Kowalski — spotkanie rodziny', dedupeKey: 'mail-1', refs: { caseId: 'c1' } }),
        userIds: [user.kierownik._id],
      });
      const n = r.created[0];
      const notifications = (await getStore()).collection<TNotification>('notifications');
      const sent = await waitFor(async () => (await notifications.findById(n._id))?.emailedAt, 15_000, 'emailedAt');
      expect(sent).toBeDefined();
      expect(sink.messages).toHaveLength(1);
      const [msg] = sink.messages;
      expect(msg.rcpt).toEqual(['kierownik@sample.kooperacja.test']);
      const mail = readableMail(msg.raw);
      expect(mail.subject).toBe('Kooperacja: Przypomnienie o terminie');
      expect(mail.text).toContain(new URL('/sprawy/abc/zadania/t1', env().NEXTAUTH_URL).toString());
      expect(msg.raw).not.toMatch(/Kowalski/);
      expect(mail.text).not.toMatch(/Kowalski|spotkanie rodziny/);

      // Idempotent: the same notification queued again (another job id) sends nothing more.
      const again = await getJobs().enqueue(NOTIFICATION_EMAIL_JOB, { notificationId: n._id }, { jobId: `again-${n._id}` });
      await waitFor(async () => (await getJobs().getRun(again))?.state === 'completed', 10_000, 'second run');
      expect(sink.messages).toHaveLength(1);
      // And notifying again under the same dedupeKey neither notifies nor mails.
      expect((await notifyUsers({ ...content({ dedupeKey: 'mail-1' }), userIds: [user.kierownik._id] })).created).toEqual([]);
      expect((await emailRuns()).filter((j) => j._id === notificationEmailJobId(n._id))).toHaveLength(1);
    } finally {
      await closeJobs();
      await sink.close();
    }
  });

  it('retries with the engine’s backoff when the SMTP server refuses, then delivers once', async () => {
    const sink = await startSink({ refuseFirst: 1 });
    try {
      setSmtp(sink.url);
      await getJobs().startWorker();
      const n = (await notifyUsers({ ...content({ dedupeKey: 'mail-retry' }), userIds: [user.ps._id] })).created[0];
      const jobId = notificationEmailJobId(n._id);
      const failed = await waitFor(async () => {
        const run = await getJobs().getRun(jobId);
        return run?.state === 'delayed' ? run : null;
      }, 15_000, 'first attempt to fail');
      expect(failed.attemptsMade).toBe(1);
      expect(failed.error).toMatch(/451/);
      expect(sink.messages).toHaveLength(0);
      // The backoff is a minute; instead of waiting, let the retry fall due and restart the engine
      // (which also proves a restart resumes a pending retry).
      const runs = (await getStore()).collection<TJobRunDoc>('jobRuns');
      await runs.updateMany({ _id: jobId }, { $set: { runAt: new Date() } });
      await closeJobs();
      await getJobs().startWorker();
      await waitFor(async () => (await getJobs().getRun(jobId))?.state === 'completed', 15_000, 'retry to succeed');
      expect((await getJobs().getRun(jobId))?.attemptsMade).toBe(2);
      expect(sink.attempts).toBe(2);
      expect(sink.messages.map((m) => m.rcpt)).toEqual([['ps@sample.kooperacja.test']]);
      expect((await (await getStore()).collection<TNotification>('notifications').findById(n._id))?.emailedAt).toBeDefined();
    } finally {
      await closeJobs();
      await sink.close();
    }
  });
});
