// Kill matrix, SIGKILL: at every kind of ARM call boundary (right after the emulator answered
// the call), then `azchroot cleanup --all`: nothing of any kind may be left.

import { test } from 'node:test';
import { skipReason } from '../e2e-failures/helpers/host.js';
import { useMatrixSuite } from './helpers/matrix.js';
import { killScenario } from './helpers/scenario.js';

const skip = skipReason();
const suite = useMatrixSuite(skip);

// [operation, nth answer after the build started]
const BOUNDARIES: [string, number][] = [
  ['galleryImageVersions.get', 1],
  ['images.get', 1],
  ['disks.createOrUpdate', 1],
  ['operations.get', 1],
  ['virtualMachines.get', 1],
  ['virtualMachines.attachDetachDataDisks', 1],
  ['virtualMachines.attachDetachDataDisks', 2],
  ['images.createOrUpdate', 1],
  ['snapshots.createOrUpdate', 1],
  ['galleryImageVersions.createOrUpdate', 1],
  ['snapshots.revokeAccess', 1],
  ['snapshots.delete', 1],
  ['disks.delete', 1],
];

for (const [operation, nth] of BOUNDARIES) {
  test(`SIGKILL right after the ${nth}. ${operation} answer, then azchroot cleanup: nothing left`, { skip }, () => killScenario(suite, { operation, nth }));
}
