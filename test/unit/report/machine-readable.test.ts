// Packer's machine-readable rows: the escaping its parsers undo, and its duration wording.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMachineReporter, machineRow, packerDuration } from '../../../src/report/machine-readable.js';
import { reporterForBuild } from '../../../src/report/reporter.js';

const at = new Date('2026-12-04T02:10:34.900Z');

test('a row is unix seconds, target, type and the data, with commas, CR and LF escaped as Packer does', () => {
  assert.equal(machineRow(at, '', 'ui', ['say', 'hello, world']), '1796350234,,ui,say,hello%!(PACKER_COMMA) world');
  assert.equal(machineRow(at, 'azure-chroot.a', 'artifact', ['0', 'string', 'Azure resources created:\n/x\r\n']), '1796350234,azure-chroot.a,artifact,0,string,Azure resources created:\\n/x\\r\\n');
  assert.equal(machineRow(at, '', 'version-prelease', ['']), '1796350234,,version-prelease,');
});

test('reporter: say and error are ==> rows, output lines are indented message rows, every line of a message prefixed', () => {
  const rows: string[] = [];
  const r = reporterForBuild(createMachineReporter({ write: (l) => rows.push(l), now: () => at }), 'azure-chroot.web');
  r.say('Attach the OS disk...', 'attach-disk');
  r.output('hello, world', 'stdout', 'shell');
  r.error('two\nlines', 'provision');
  r.debug('not a row');
  assert.deepEqual(rows, [
    '1796350234,,ui,say,==> azure-chroot.web: Attach the OS disk...',
    '1796350234,,ui,message,    azure-chroot.web: hello%!(PACKER_COMMA) world',
    '1796350234,,ui,error,==> azure-chroot.web: two\\n==> azure-chroot.web: lines',
  ]);
});

test("durations read like Packer's: the two largest units", () => {
  assert.equal(packerDuration(6.956), '6 milliseconds 956 microseconds');
  assert.equal(packerDuration(1533.2), '1 second 533 milliseconds');
  assert.equal(packerDuration(65_000), '1 minute 5 seconds');
  assert.equal(packerDuration(3_600_000 + 1), '1 hour 1 millisecond');
  assert.equal(packerDuration(0), '0 microseconds');
});
