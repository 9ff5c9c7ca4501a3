import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleWatch, plainConsole } from '../../../src/boot/console-watch.js';
import { DEFAULT_BOOT_EXPECT } from '../../../src/config/boot-options.js';

const expect = new RegExp(DEFAULT_BOOT_EXPECT, 'm');

test('plainConsole strips colours, cursor moves and CRs', () => {
  assert.equal(plainConsole('[\x1b[0;32m  OK  \x1b[0m] Reached target \x1b[0;1;39mmulti-user.target\x1b[0m - Multi-User System.\r\n'), '[  OK  ] Reached target multi-user.target - Multi-User System.\n');
  assert.equal(plainConsole('\x1bc\x1b[?7l\x1b[2JSeaBIOS\r\r\nx'), 'SeaBIOS\nx');
});

test('the default expect: systemd\'s multi-user line or a login prompt, also when split across chunks', () => {
  const w = new ConsoleWatch(expect);
  assert.deepEqual(w.push('[  OK  ] Reached target \x1b[0;1;39mmulti-'), { done: false });
  const v = w.push('user.target\x1b[0m - Multi-User System.\r\n');
  assert.equal(v.done && v.ok, true);
  const login = new ConsoleWatch(expect);
  const l = login.push('Debian GNU/Linux 12 host ttyS0\r\n\r\nhost login: ');
  assert.deepEqual(l, { done: true, ok: true, matched: 'host login: ' });
  assert.deepEqual(new ConsoleWatch(expect).push('Reached target basic.target - Basic System.\r\nlogin to the network...\r\n'), { done: false });
});

const failures: [string, string, RegExp][] = [
  ['emergency shell', '[FAILED] Failed to mount srv.mount - /srv.\r\nYou are in emergency mode. After logging in, type "journalctl -xb"', /emergency shell/],
  ['GRUB prompt', 'GRUB loading.\r\nWelcome to GRUB!\r\n\r\ngrub> ', /GRUB prompt/],
  ['GRUB prompt behind the screen mirror', '   Minimal BASH-like\x1b[04;20H\x1b[04;21H line editing is supported. For the first word, TAB\r\n   device or file completions.      \x1b[06;58H    grub> ', /GRUB prompt/],
  ['GRUB rescue', 'error: unknown filesystem.\r\nEntering rescue mode...\r\ngrub rescue> ', /GRUB rescue prompt/],
  ['initramfs shell', 'ALERT!  UUID=1234 does not exist.  Dropping to a shell!\r\n(initramfs) ', /initramfs shell/],
  ['kernel panic', '[    1.2] Kernel panic - not syncing: VFS: Unable to mount root fs', /panicked/],
  ['no boot device', 'Booting from Hard Disk...\r\nBoot failed: not a bootable disk\r\n\r\nNo bootable device.', /no bootable device/],
  ['UEFI shell', 'BdsDxe: starting Boot0002 "EFI Internal Shell" from Fv(7CB8)\r\n', /UEFI firmware found no boot loader/],
];

for (const [name, text, reason] of failures) {
  test(`a boot that reaches ${name} fails at once`, () => {
    const v = new ConsoleWatch(expect).push(text);
    assert.equal(v.done, true);
    assert.equal(v.done && !v.ok && reason.test(v.reason), true, JSON.stringify(v));
  });
}

test('lastLines: the last non-empty plain lines', () => {
  const w = new ConsoleWatch(/never/);
  w.push('a\r\n\r\nb\r\n\x1b[0mc\r\n');
  assert.deepEqual(w.lastLines(2), ['b', 'c']);
});
