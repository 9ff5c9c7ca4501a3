import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { createJsonReporter } from '../../../src/report/json-reporter.js';
import { createLogFileReporter, logFilePath, logsToStderr } from '../../../src/report/log-file.js';
import { createPlainReporter } from '../../../src/report/plain-reporter.js';
import { createRedactingReporter, fanOut, redactorFor } from '../../../src/report/compose.js';
import { MemoryReporter, reporterForBuild, type Reporter } from '../../../src/report/reporter.js';

const NOW = new Date('2026-11-21T23:30:00.123Z');
const SECRET = 'hunter2-secret';

function exercise(r: Reporter): void {
  r.say('Attaching disk', 'attach-disk');
  r.warn(`token ${SECRET} expires`, 'auth');
  r.error('two\nlines');
  r.debug('hidden unless debug', 'x');
  r.output(`echo ${SECRET}`, 'stdout', 'shell');
  r.output('oops', 'stderr', 'shell');
}

test('plain reporter: timestamped lines with step, level marks, redacted, debug only on request', () => {
  const lines: string[] = [];
  exercise(createPlainReporter({ write: (l) => lines.push(l), now: () => NOW, redactor: redactorFor([SECRET]) }));
  assert.deepEqual(lines, [
    '2026-11-21T23:30:00Z [attach-disk] Attaching disk',
    '2026-11-21T23:30:00Z [auth] warning: token <sensitive> expires',
    '2026-11-21T23:30:00Z error: two',
    '2026-11-21T23:30:00Z error: lines',
    '2026-11-21T23:30:00Z [shell] echo <sensitive>',
    '2026-11-21T23:30:00Z [shell] oops',
  ]);
  const debugLines: string[] = [];
  createPlainReporter({ write: (l) => debugLines.push(l), now: () => NOW, debug: true }).debug('shown', 'x');
  assert.deepEqual(debugLines, ['2026-11-21T23:30:00Z [x] debug: shown']);
});

test('JSON reporter: every line parses to {time, level, step, message}, redacted', () => {
  const lines: string[] = [];
  exercise(createJsonReporter({ write: (l) => lines.push(l), now: () => NOW, redactor: redactorFor([SECRET]) }));
  const events = lines.map((l) => JSON.parse(l));
  assert.deepEqual(events, [
    { time: '2026-11-21T23:30:00Z', level: 'info', step: 'attach-disk', message: 'Attaching disk' },
    { time: '2026-11-21T23:30:00Z', level: 'warn', step: 'auth', message: 'token <sensitive> expires' },
    { time: '2026-11-21T23:30:00Z', level: 'error', message: 'two\nlines' },
    { time: '2026-11-21T23:30:00Z', level: 'output', step: 'shell', message: 'echo <sensitive>', stream: 'stdout' },
    { time: '2026-11-21T23:30:00Z', level: 'output', step: 'shell', message: 'oops', stream: 'stderr' },
  ]);
  assert.ok(lines.every((l) => !l.includes('\n')));
});

test('log file: every level including debug, redacted, mode 0600', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'azchroot-test-log-'));
  try {
    const path = join(dir, 'debug.log');
    exercise(createLogFileReporter(path, { now: () => NOW, redactor: redactorFor([SECRET]) }));
    const text = await readFile(path, 'utf8');
    assert.ok(!text.includes(SECRET));
    assert.match(text, /^2026-11-21T23:30:00Z \[x\] debug: hidden unless debug$/m);
    assert.match(text, /^2026-11-21T23:30:00Z \[shell\] \(stderr\) oops$/m);
    assert.equal(text.trimEnd().split('\n').length, 7);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('log file path: flag wins, then AZCHROOT_LOG=1 with AZCHROOT_LOG_PATH or the default', () => {
  assert.equal(logFilePath({ AZCHROOT_LOG: '1' }, '/x.log'), '/x.log');
  assert.equal(logFilePath({ AZCHROOT_LOG: '1', AZCHROOT_LOG_PATH: '/y.log' }), '/y.log');
  assert.equal(logFilePath({ AZCHROOT_LOG: '1' }), 'azchroot.log');
  assert.equal(logFilePath({ AZCHROOT_LOG: '0' }), undefined);
  assert.equal(logFilePath({}), undefined);
});

test("log: Packer's PACKER_LOG=1 logs to PACKER_LOG_PATH, or to stderr without it; our own settings win", () => {
  assert.equal(logFilePath({ PACKER_LOG: '1', PACKER_LOG_PATH: '/p.log' }), '/p.log');
  assert.equal(logsToStderr({ PACKER_LOG: '1', PACKER_LOG_PATH: '/p.log' }), false);
  assert.equal(logFilePath({ PACKER_LOG: '1' }), undefined);
  assert.equal(logsToStderr({ PACKER_LOG: '1' }), true);
  assert.equal(logsToStderr({ PACKER_LOG: 'yes' }), true, 'any value but "" and "0" turns it on, as in Packer');
  for (const off of ['', '0']) assert.equal(logsToStderr({ PACKER_LOG: off, PACKER_LOG_PATH: '/p.log' }) || logFilePath({ PACKER_LOG: off, PACKER_LOG_PATH: '/p.log' }) !== undefined, false, off);
  assert.equal(logFilePath({ PACKER_LOG: '1', PACKER_LOG_PATH: '/p.log', AZCHROOT_LOG: '1' }), 'azchroot.log');
  assert.equal(logsToStderr({ PACKER_LOG: '1' }, '/flag.log'), false);
});

test('forBuild: plain lines name the build after the time, JSON events carry it, fan-out and memory keep it', () => {
  const lines: string[] = [];
  const now = () => new Date('2026-11-21T23:30:00Z');
  reporterForBuild(createPlainReporter({ write: (l) => lines.push(l), now }), 'azure-chroot.web').say('attaching', 'attach-disk');
  reporterForBuild(createJsonReporter({ write: (l) => lines.push(l), now }), 'azure-chroot.db').warn('slow', 'create-os-disk');
  const memory = new MemoryReporter();
  reporterForBuild(fanOut(memory), 'b').output('x', 'stdout', 's');
  assert.deepEqual(lines, [
    '2026-11-21T23:30:00Z azure-chroot.web: [attach-disk] attaching',
    '{"time":"2026-11-21T23:30:00Z","level":"warn","build":"azure-chroot.db","step":"create-os-disk","message":"slow"}',
  ]);
  assert.deepEqual(memory.lines, [{ level: 'output', message: 'x', step: 's', build: 'b' }]);
});

test('redacting front and fan-out', () => {
  const a = new MemoryReporter();
  const b = new MemoryReporter();
  exercise(createRedactingReporter(fanOut(a, b), redactorFor([SECRET, 'ab'])));
  assert.equal(a.lines.length, 6);
  assert.deepEqual(a.lines, b.lines);
  assert.ok(!a.text().includes(SECRET));
  assert.ok(a.text().includes('echo <sensitive>'));
});
