import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLvs, parsePvs, pvsOnDevice, type LogicalVolume } from '../../../src/host/lvm-query.js';
import { chooseRootLv, clashingVgs, temporaryVgName } from '../../../src/steps/root-lv.js';
import { pendingResources } from '../../../src/ledger/journal.js';

const lv = (name: string, attr = '-wi-a-----', vg = 'vg'): LogicalVolume => ({ name, vg, path: `/dev/${vg}/${name}`, attr });
const noSwap = (): boolean => false;

const rootCases: { name: string; lvs: LogicalVolume[]; swap?: string[]; want: string | undefined }[] = [
  { name: 'no LV', lvs: [], want: undefined },
  { name: 'a single LV wins whatever its name', lvs: [lv('data')], want: 'data' },
  { name: 'swap dropped, one left', lvs: [lv('swap0'), lv('sys')], swap: ['swap0'], want: 'sys' },
  { name: 'only swap: swap is kept rather than nothing', lvs: [lv('swap0')], swap: ['swap0'], want: 'swap0' },
  { name: 'snapshot, thin and virtual LVs dropped', lvs: [lv('snap', 'swi-a-s---'), lv('pool', 'twi-a-tz--'), lv('v', 'vwi-a-v---'), lv('os')], want: 'os' },
  { name: 'well-known names in order: root before lv_root', lvs: [lv('lv_root'), lv('home'), lv('root')], want: 'root' },
  { name: 'rootlv among others (RHEL rootvg)', lvs: [lv('homelv'), lv('rootlv'), lv('tmplv'), lv('varlv')], want: 'rootlv' },
  { name: 'a name containing "root"', lvs: [lv('home'), lv('myRootFs')], want: 'myRootFs' },
  { name: 'else the first', lvs: [lv('a'), lv('b')], want: 'a' },
];

for (const c of rootCases) {
  test(`chooseRootLv: ${c.name}`, () => {
    const swap = new Set(c.swap ?? []);
    assert.equal(chooseRootLv(c.lvs, c.swap ? (l) => swap.has(l.name) : noSwap)?.name, c.want);
  });
}

test('parsePvs: trims the padding, drops PVs without a volume group', () => {
  assert.deepEqual(parsePvs('  /dev/sda2,rootvg\n  /dev/loop3p2,azcvg\n  /dev/sdd,\n\n'), [
    { pv: '/dev/sda2', vg: 'rootvg' },
    { pv: '/dev/loop3p2', vg: 'azcvg' },
  ]);
});

test('pvsOnDevice: exact partition paths, not a prefix (/dev/sdc must not claim /dev/sdca1)', () => {
  const pvs = parsePvs('/dev/sdc2,imgvg\n/dev/sdca1,othervg\n/dev/sdc,wholevg\n/dev/sdc22,notlisted\n/dev/loop1p2,loopvg\n');
  assert.deepEqual(pvsOnDevice(pvs, '/dev/sdc', ['/dev/sdc1', '/dev/sdc2']).map((p) => p.vg), ['imgvg', 'wholevg']);
  assert.deepEqual(pvsOnDevice(pvs, '/dev/loop1', ['/dev/loop1p1', '/dev/loop1p2']).map((p) => p.vg), ['loopvg']);
  assert.deepEqual(pvsOnDevice(pvs, '/dev/loop10', ['/dev/loop10p1']), []);
});

test('parseLvs: name, vg, path and attr; a missing path is derived', () => {
  assert.deepEqual(parseLvs('  root,azcvg,/dev/azcvg/root,-wi-a-----\n  swap,azcvg,,-wi-------\n'), [
    { name: 'root', vg: 'azcvg', path: '/dev/azcvg/root', attr: '-wi-a-----' },
    { name: 'swap', vg: 'azcvg', path: '/dev/azcvg/swap', attr: '-wi-------' },
  ]);
});

test('temporaryVgName: <vg>-azc<first 8 letters/digits of the build id>', () => {
  assert.equal(temporaryVgName('rootvg', '20261122-004823-ab12'), 'rootvg-azc20261122');
  assert.equal(temporaryVgName('rootvg', 'Ab-Cd_ef.GH123'), 'rootvg-azcabcdefgh');
  assert.equal(temporaryVgName('vg', '---'), 'vg-azcbuild');
});

test('clashingVgs: only names the host has on PVs outside the attached disk', () => {
  const host = parsePvs('/dev/sda2,rootvg\n/dev/sdc2,rootvg\n/dev/sdc3,datavg\n/dev/sdb1,othervg\n');
  assert.deepEqual(clashingVgs(['rootvg', 'datavg'], host, new Set(['/dev/sdc2', '/dev/sdc3'])), ['rootvg']);
  assert.deepEqual(clashingVgs(['datavg'], host, new Set(['/dev/sdc3'])), []);
});

test('an LVM activation is a ledger record of its own, renames included, pending until released', () => {
  const detail = { vgs: ['rootvg-azcx'], renames: [{ orig: 'rootvg', tmp: 'rootvg-azcx', pvs: ['/dev/sdc2'] }] };
  const intent = { time: 't', event: 'intent' as const, kind: 'lvm' as const, id: 'rootvg-azcx', detail };
  assert.deepEqual(pendingResources([intent]).map((p) => [p.kind, p.detail]), [['lvm', detail]]);
  assert.deepEqual(pendingResources([intent, { time: 't', event: 'removed', kind: 'lvm', id: 'rootvg-azcx' }]), []);
});
