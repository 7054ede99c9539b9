import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempDataDir, setTestEnv } from '@/lib/testing/temp-app';
import { getStore } from '@/lib/store';
import { isAppError } from '@/lib/errors';
import { bootPacks } from '@/lib/packs/boot';
import { getPublishedPack, listPublishedVersions } from '@/lib/packs/publish';
import type { TOrgUnit } from '@/lib/orgs/types';
import type { TPrincipal } from '@/lib/policy/policy';
import type { TAuditEvent } from '@/lib/audit/audit';
import { changeDraft, draftDiff, draftProblems, openDraft, publishDraft, reviewDraft, setFourEyes, viewDraft } from './drafts';

let cleanup: () => Promise<void>;
let regionA: TOrgUnit;
let regionB: TOrgUnit;
const admin = (userId: string, regionId: string): TPrincipal => ({ userId, name: userId, email: `${userId}@x.test`, platformAdmin: false, regionAdminOf: [regionId], memberships: [], teams: [] });
let alice: TPrincipal; // region A author
let bob: TPrincipal; // region A reviewer
let eve: TPrincipal; // region B administrator

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
}

beforeAll(async () => {
  setTestEnv({ LOG_LEVEL: 'silent' });
  cleanup = openTempDataDir();
  await bootPacks();
  const units = (await getStore()).collection<TOrgUnit>('orgUnits');
  regionA = await units.insertOne({ kind: 'region', code: 'region-a', name: 'Region A', regionId: 'ra', pack: { id: 'sample', version: '1.0.0' } } as never);
  regionA = await units.updateById(regionA._id, regionA.revision, { $set: { regionId: regionA._id } });
  regionB = await units.insertOne({ kind: 'region', code: 'region-b', name: 'Region B', regionId: 'rb', pack: { id: 'sample', version: '1.0.0' } } as never);
  regionB = await units.updateById(regionB._id, regionB.revision, { $set: { regionId: regionB._id } });
  alice = admin('alice', regionA._id);
  bob = admin('bob', regionA._id);
  eve = admin('eve', regionB._id);
}, 60_000);
afterAll(async () => cleanup?.());

describe('studio drafts on the embedded store', () => {
  it('edit → undo/redo → review → publish, with 409s for stale saves and stale reviews', async () => {
    let d = await openDraft(alice, 'sample', { regionId: regionA._id });
    expect(d.baseVersion).toBe('1.0.0');
    expect(d.revision).toBe(1);

    // An edit with a Polish summary.
    d = await changeDraft(alice, d.id, { action: 'patch', revision: 1, ops: [{ op: 'add', path: '/pack/roles/partner/permissions/-', value: 'document.generate' }] });
    expect(d.history[0].summary[0]).toBe('Rola „Przedstawiciel instytucji partnerskiej”: dodano uprawnienie „Generowanie dokumentów DOCX/PDF z szablonów” (document.generate)');
    expect((d.content.pack.roles as Record<string, { permissions: string[] }>).partner.permissions).toContain('document.generate');

    // A stale save is a 409 naming what changed meanwhile; nothing is stored.
    const stale = await changeDraft(bob, d.id, { action: 'patch', revision: 1, ops: [{ op: 'replace', path: '/pack/title/pl', value: 'X' }] }).catch((e: unknown) => e);
    expect(isAppError(stale) && stale.code).toBe('conflict');
    expect((stale as Error).message).toContain('dodano uprawnienie');

    // A schema-breaking patch is a 400 and stores nothing.
    expect(await code(changeDraft(alice, d.id, { action: 'patch', revision: d.revision, ops: [{ op: 'replace', path: '/pack/roles/partner/permissions/0', value: 'not.a.permission' }] }))).toBe('validation');
    expect((await viewDraft(alice, d.id)).revision).toBe(d.revision);

    // Undo and redo.
    d = await changeDraft(alice, d.id, { action: 'undo', revision: d.revision });
    expect((d.content.pack.roles as Record<string, { permissions: string[] }>).partner.permissions).not.toContain('document.generate');
    expect(d.canRedo).toBe(true);
    d = await changeDraft(alice, d.id, { action: 'redo', revision: d.revision });
    expect((d.content.pack.roles as Record<string, { permissions: string[] }>).partner.permissions).toContain('document.generate');

    // A named checkpoint, then an edit, then restore back to the checkpoint.
    d = await changeDraft(alice, d.id, { action: 'checkpoint', revision: d.revision, name: 'po uprawnieniu' });
    d = await changeDraft(alice, d.id, { action: 'patch', revision: d.revision, ops: [{ op: 'replace', path: '/pack/deadlines/przeglad-planu/escalateAfter', value: 'P21D' }] });
    expect(d.history.at(-1)!.summary[0]).toBe('Termin „Przegląd planu co najmniej raz na 3 miesiące”: eskalacja po 14 dni → 21 dni');
    d = await changeDraft(alice, d.id, { action: 'restore', revision: d.revision, seq: d.checkpoints[0].seq });
    expect((d.content.pack.deadlines as Record<string, { escalateAfter: string }>)['przeglad-planu'].escalateAfter).toBe('P14D');
    d = await changeDraft(alice, d.id, { action: 'patch', revision: d.revision, ops: [{ op: 'replace', path: '/pack/deadlines/przeglad-planu/escalateAfter', value: 'P21D' }] });

    // Problems and diff.
    const problems = await draftProblems(alice, d.id);
    expect(problems.errors).toEqual([]);
    const diff = await draftDiff(alice, d.id, { against: 'published', lang: 'pl' });
    expect(diff.lines).toContain('+ Rola „Przedstawiciel instytucji partnerskiej”: dodano uprawnienie „Generowanie dokumentów DOCX/PDF z szablonów”');

    // Four-eyes: author cannot approve; publish before approval refused.
    d = await reviewDraft(alice, d.id, { action: 'submit', revision: d.revision });
    expect(await code(reviewDraft(alice, d.id, { action: 'approve', revision: d.revision }))).toBe('forbidden');
    expect(await code(publishDraft(alice, d.id, { revision: d.revision, acknowledgeWarnings: true }))).toBe('conflict');
    d = await reviewDraft(bob, d.id, { action: 'approve', revision: d.revision, comment: 'OK' });
    expect(d.status).toBe('approved');

    // The draft changes after approval: the review is stale and publish says what changed.
    d = await changeDraft(alice, d.id, { action: 'patch', revision: d.revision, ops: [{ op: 'replace', path: '/pack/title/en', value: 'Sample pack (edited)' }] });
    const staleReview = await publishDraft(bob, d.id, { revision: d.revision, acknowledgeWarnings: true }).catch((e: unknown) => e);
    expect(isAppError(staleReview) && staleReview.code).toBe('conflict');
    expect((staleReview as Error).message).toContain('po zatwierdzeniu');
    expect((staleReview as Error).message).toContain('Sample pack (edited)');

    // The reviewer returns it with a comment; it is back in editing and cannot be returned twice.
    d = await reviewDraft(bob, d.id, { action: 'return', revision: d.revision, comment: 'Zatwierdzę po poprawce' });
    expect(d.status).toBe('editing');
    expect(d.review?.comment).toBe('Zatwierdzę po poprawce');
    expect(await code(reviewDraft(bob, d.id, { action: 'return', revision: d.revision, comment: 'x' }))).toBe('conflict');
  });

  it('publishes exactly the approved content as a new version and moves the region to it', async () => {
    let d = await openDraft(alice, 'sample', { regionId: regionA._id });
    d = await changeDraft(alice, d.id, { action: 'patch', revision: d.revision, ops: [{ op: 'replace', path: '/pack/deadlines/przeglad-planu/escalateAfter', value: 'P21D' }] });
    d = await reviewDraft(alice, d.id, { action: 'submit', revision: d.revision });
    d = await reviewDraft(bob, d.id, { action: 'approve', revision: d.revision });
    const published = await publishDraft(bob, d.id, { revision: d.revision, acknowledgeWarnings: true });
    expect(published.version).toBe('1.0.1');
    expect(published.releaseNotes.join('\n')).toContain('przeglad-planu');
    const stored = await getPublishedPack('sample', '1.0.1');
    expect(stored?.manifest.deadlines['przeglad-planu'].escalateAfter).toBe('P21D');
    const versions = await listPublishedVersions('sample');
    expect(versions.find((v) => v.version === '1.0.1')).toMatchObject({ source: 'studio', publishedBy: { userId: 'bob' }, reviewedBy: { userId: 'bob' } });
    const region = await (await getStore()).collection<TOrgUnit>('orgUnits').findById(regionA._id);
    expect(region?.pack).toEqual({ id: 'sample', version: '1.0.1' });
    expect((await (await getStore()).collection<TOrgUnit>('orgUnits').findById(regionB._id))?.pack?.version).toBe('1.0.0');
    const audit = await (await getStore()).collection<TAuditEvent>('auditEvents').find({ action: 'pack.publish' });
    expect(audit).toHaveLength(1);
    expect(audit[0].actor.userId).toBe('bob');

    // Rollback = a draft from the earlier version, published as a new version.
    let r = await openDraft(alice, 'sample', { regionId: regionA._id, fromVersion: '1.0.0' });
    r = await reviewDraft(alice, r.id, { action: 'submit', revision: r.revision });
    r = await reviewDraft(bob, r.id, { action: 'approve', revision: r.revision });
    const rolled = await publishDraft(bob, r.id, { revision: r.revision, acknowledgeWarnings: true });
    expect(rolled.version).toBe('1.0.2');
    expect((await getPublishedPack('sample', '1.0.2'))?.manifest.deadlines['przeglad-planu'].escalateAfter).toBe('P14D');
  });

  it('another region’s draft or pack is a 404; four-eyes off only by the audited setting', async () => {
    const d = await openDraft(alice, 'sample', { regionId: regionA._id });
    expect(await code(viewDraft(eve, d.id))).toBe('not_found');
    expect(await code(changeDraft(eve, d.id, { action: 'patch', revision: d.revision, ops: [{ op: 'replace', path: '/pack/title/pl', value: 'X' }] }))).toBe('not_found');
    expect(await code(openDraft(eve, 'sample', { regionId: regionA._id }))).toBe('not_found');
    expect(await code(openDraft(alice, 'wiejski', { regionId: regionA._id }))).toBe('not_found');
    // A region administrator cannot open a base-pack (platform) draft.
    expect(await code(openDraft(alice, 'sample', {}))).toBe('not_found');

    await setFourEyes(alice, regionA._id, false, 'mały zespół, jeden administrator');
    const e = await changeDraft(alice, d.id, { action: 'patch', revision: d.revision, ops: [{ op: 'replace', path: '/pack/title/en', value: 'Solo edit' }] });
    const out = await publishDraft(alice, e.id, { revision: e.revision, acknowledgeWarnings: true });
    expect(out.version).toBe('1.0.3');
    const log = await (await getStore()).collection<TAuditEvent>('auditEvents').find({ action: 'studio.fourEyes' });
    expect(log[0]).toMatchObject({ actor: { userId: 'alice' }, after: { fourEyes: false } });
    await setFourEyes(alice, regionA._id, true, 'koniec wyjątku');
  });
});
