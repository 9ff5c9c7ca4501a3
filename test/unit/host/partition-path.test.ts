import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionDevice } from '../../../src/host/partition-path.js';

test('partitionDevice: names partitions the way Linux does', () => {
  const cases: [string, string, string][] = [
    ['/dev/sdc', '1', '/dev/sdc1'],
    ['/dev/sdc', '15', '/dev/sdc15'],
    ['/dev/loop0', '1', '/dev/loop0p1'],
    ['/dev/loop12', 'p1', '/dev/loop12p1'],
    ['/dev/nvme0n2', '1', '/dev/nvme0n2p1'],
    ['/dev/sdc', '', '/dev/sdc'],
    ['/dev/mapper/rootvg-rootlv', '', '/dev/mapper/rootvg-rootlv'],
  ];
  for (const [device, part, expected] of cases) assert.equal(partitionDevice(device, part), expected, `${device} + "${part}"`);
});
