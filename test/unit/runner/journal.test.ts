import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findJournalPath, KEPT_JOURNALS, openJournal, pendingResources, readJournal, listJournals, journalPath, resolveBuildId, retireJournal } from '../../../src/ledger/journal.js';
import { describeLeftovers } from '../../../src/ledger/leftovers.js';
import { UsageError } from '../../../src/errors.js';

const dist = join(fileURLToPath(import.meta.url), '../../../..');
const mod = (p: string): string => JSON.stringify(pathToFileURL(join(dist, p)).href);

test('journal: an intent survives a SIGKILL in the middle of the create call', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-journal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(dir, 'crash.mjs');
  // The child records intent, starts a create that never returns, and is killed while waiting.
  writeFileSync(script, `
    import { openJournal } from ${mod('src/ledger/journal.js')};
    const j = openJournal(${JSON.stringify(dir)}, 'b-1');
    j.append({ event: 'start', detail: { pid: process.pid } });
    j.intent('disk', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/tmp-os');
    process.stdout.write('creating\\n');
    await new Promise(() => setInterval(() => {}, 1000));
  `);
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('creating') && resolve()));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  const entries = readJournal(join(dir, 'journal', 'b-1.jsonl'));
  assert.deepEqual(pendingResources(entries).map((p) => [p.kind, p.status]), [['disk', 'intent']]);
  const lines = describeLeftovers(entries);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /temporary disk: .*tmp-os \(creation was started; it may or may not exist\)/);
  assert.deepEqual(listJournals(dir), ['b-1']);
});

test('journal: a torn last line is ignored; removed resources are no longer pending; leftovers in release order, outputs last', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-journal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const j = openJournal(dir, 'b-2');
  j.intent('disk', 'D1');
  j.created('disk', 'D1');
  j.intent('image', 'IMG', { temporary: false });
  j.created('image', 'IMG');
  j.intent('snapshot', 'S1');
  j.created('snapshot', 'S1');
  j.removed('snapshot', 's1'); // ids compare case-insensitively
  j.intent('attachment', 'D1', { detail: { lun: 2 } });
  j.close();
  appendFileSync(j.path, '{"time":"2026-01-01T00:00:00Z","event":"remo');
  const entries = readJournal(j.path);
  assert.equal(entries.length, 8);
  assert.deepEqual(pendingResources(entries).map((p) => `${p.kind}:${p.id}:${p.status}:${p.temporary}`), ['disk:D1:created:true', 'image:IMG:created:false', 'attachment:D1:intent:true']);
  assert.deepEqual(describeLeftovers(entries), [
    'disk attached to this VM at LUN 2: D1 (creation was started; it may or may not exist)',
    'temporary disk: D1',
    'managed image (output): IMG',
  ]);
});

test('journal: any build id gives a file inside the journal directory', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-journal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const id of ['../evil', '..', 'my build/x']) {
    const j = openJournal(dir, id);
    j.close();
    assert.equal(dirname(j.path), join(dir, 'journal'), id);
    assert.equal(j.path, journalPath(dir, id));
  }
});

test('describeLeftovers: the outputs of a successful build are not leftovers', () => {
  const entries = [
    { time: 't', event: 'intent' as const, kind: 'image' as const, id: 'IMG', temporary: false },
    { time: 't', event: 'created' as const, kind: 'image' as const, id: 'IMG' },
  ];
  assert.deepEqual(describeLeftovers(entries), ['managed image (output): IMG']);
  assert.deepEqual(describeLeftovers([...entries, { time: 't', event: 'end' as const, detail: { status: 'succeeded' } }]), []);
});

test('journal: a finished build with nothing pending is retired to journal/done/, which keeps the last few; one with leftovers stays', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-journal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const finish = (id: string, leave: boolean): void => {
    const j = openJournal(dir, id);
    j.intent('disk', `D-${id}`);
    j.created('disk', `D-${id}`);
    if (!leave) j.removed('disk', `D-${id}`);
    j.append({ event: 'end', detail: { status: 'succeeded' } });
    j.close();
  };
  finish('left', true);
  assert.equal(retireJournal(dir, 'left'), false);
  assert.deepEqual(listJournals(dir), ['left']);
  for (let i = 0; i < KEPT_JOURNALS + 3; i++) {
    finish(`done-${String(i).padStart(2, '0')}`, false);
    assert.equal(retireJournal(dir, `done-${String(i).padStart(2, '0')}`), true);
  }
  assert.deepEqual(listJournals(dir), ['left'], 'retired journals are no longer listed for cleanup');
  const done = listJournals(dir, true).filter((id) => id !== 'left');
  assert.equal(done.length, KEPT_JOURNALS);
  assert.match(findJournalPath(dir, done.at(-1)!), /\/journal\/done\//);
  // A journal without an end record (a build still running, or killed) is never retired.
  openJournal(dir, 'running').intent('disk', 'X');
  assert.equal(retireJournal(dir, 'running'), false);
});

test('journal: a build id may be abbreviated, as its start or its random part, when only one journal matches', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-journal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const id of ['web-1a2b3c4d', 'web-1a9f0000', 'db-77aa0011', 'db']) openJournal(dir, id).close();
  retireJournal(dir, 'db-77aa0011');
  assert.equal(resolveBuildId(dir, 'web-1a2b3c4d'), 'web-1a2b3c4d');
  assert.equal(resolveBuildId(dir, 'web-1a2'), 'web-1a2b3c4d');
  assert.equal(resolveBuildId(dir, '1a2b'), 'web-1a2b3c4d');
  assert.equal(resolveBuildId(dir, '77aa'), 'db-77aa0011', 'a retired journal counts too');
  // An exact id wins over a longer one it is the start of.
  assert.equal(resolveBuildId(dir, 'db'), 'db');
  assert.throws(() => resolveBuildId(dir, 'web-1a'), (err: unknown) => err instanceof UsageError && /"web-1a" is ambiguous: it matches web-1a2b3c4d, web-1a9f0000/.test(err.message));
  assert.equal(resolveBuildId(dir, 'nothing-like-it'), 'nothing-like-it', 'no match: the caller reports the missing journal');
});
