import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootEntries, matchPartition, parseFstab, parseSource } from '../../../src/steps/fstab.js';

const FSTAB = `# /etc/fstab: static file system information.
/dev/mapper/rootvg-rootlv /                       xfs     defaults        0 0
UUID=7b9c3a6e-0d5f-4f55-9a3e-2b1f0c8d9e01 /boot   xfs     defaults,nodev  0 0   # kernel
UUID=3A1B-77F2          /boot/efi               vfat    umask=0077,shortname=winnt 0 2
/dev/mapper/rootvg-swaplv none swap defaults 0 0
proc /proc proc defaults 0 0
  LABEL=data\\040disk /srv/data ext4 defaults 0 2
broken-line
`;

test('parseFstab: comments, blank and malformed lines skipped; options split; octal escapes decoded', () => {
  const e = parseFstab(FSTAB);
  assert.deepEqual(e.map((x) => x.target), ['/', '/boot', '/boot/efi', 'none', '/proc', '/srv/data']);
  assert.deepEqual(e[1]!.options, ['defaults', 'nodev']);
  assert.equal(e[5]!.source, 'LABEL=data disk');
  assert.deepEqual(parseFstab('LABEL=x /boot ext4')[0]!.options, ['defaults']);
});

test('bootEntries: only /boot then /boot/efi, whatever their order in the file; swap/none/proc never', () => {
  const reversed = parseFstab('UUID=B /boot/efi vfat defaults 0 0\nUUID=A /boot/ ext4 defaults 0 0\nUUID=S /boot swap sw 0 0\n');
  assert.deepEqual(bootEntries(reversed).map((e) => [e.source, e.target]), [['UUID=A', '/boot'], ['UUID=B', '/boot/efi']]);
  assert.deepEqual(bootEntries(parseFstab('UUID=S none swap sw 0 0\nproc /proc proc defaults 0 0\n')), []);
  assert.deepEqual(bootEntries(parseFstab('tmpfs /boot tmpfs defaults 0 0\n')), []);
});

test('parseSource: tags, /dev/disk/by-* links, partition numbers of image device names; anything else undefined', () => {
  assert.deepEqual(parseSource('UUID=abc'), { key: 'UUID', value: 'abc' });
  assert.deepEqual(parseSource('LABEL="boot fs"'), { key: 'LABEL', value: 'boot fs' });
  assert.deepEqual(parseSource('PARTUUID=1234-02'), { key: 'PARTUUID', value: '1234-02' });
  assert.deepEqual(parseSource('PARTLABEL=EFI'), { key: 'PARTLABEL', value: 'EFI' });
  assert.deepEqual(parseSource('/dev/disk/by-uuid/abc'), { key: 'UUID', value: 'abc' });
  assert.deepEqual(parseSource('/dev/sda2'), { key: 'PARTNUM', value: '2' });
  assert.deepEqual(parseSource('/dev/nvme0n1p15'), { key: 'PARTNUM', value: '15' });
  assert.equal(parseSource('/dev/mapper/rootvg-bootlv'), undefined);
  assert.equal(parseSource('server:/export'), undefined);
});

test('matchPartition: only the attached disk partitions given; UUIDs without case; ambiguous or none → undefined', () => {
  const probes = new Map<string, Record<string, string>>([
    ['/dev/loop4p1', { TYPE: 'vfat', UUID: '3A1B-77F2', PARTLABEL: 'EFI' }],
    ['/dev/loop4p2', { TYPE: 'ext4', UUID: 'aaaa', LABEL: 'boot', PARTUUID: 'p-2' }],
    ['/dev/loop4p3', { TYPE: 'LVM2_member', UUID: 'bbbb', LABEL: 'boot2' }],
  ]);
  assert.equal(matchPartition({ key: 'UUID', value: '3a1b-77f2' }, probes), '/dev/loop4p1');
  assert.equal(matchPartition({ key: 'LABEL', value: 'boot' }, probes), '/dev/loop4p2');
  assert.equal(matchPartition({ key: 'LABEL', value: 'BOOT' }, probes), undefined);
  assert.equal(matchPartition({ key: 'PARTUUID', value: 'p-2' }, probes), '/dev/loop4p2');
  assert.equal(matchPartition({ key: 'PARTLABEL', value: 'EFI' }, probes), '/dev/loop4p1');
  assert.equal(matchPartition({ key: 'PARTNUM', value: '3' }, probes), '/dev/loop4p3');
  assert.equal(matchPartition({ key: 'UUID', value: 'not-there' }, probes), undefined);
  const twins = new Map([['/dev/loop4p1', { UUID: 'same' }], ['/dev/loop4p2', { UUID: 'same' }]]);
  assert.equal(matchPartition({ key: 'UUID', value: 'same' }, twins), undefined);
});
