// Kill matrix, SIGKILL: at every step, then `azchroot cleanup --all`: nothing of any kind may be left.

import { test } from 'node:test';
import { skipReason } from '../e2e-failures/helpers/host.js';
import { useMatrixSuite } from './helpers/matrix.js';
import { killScenario } from './helpers/scenario.js';
import { STEPS } from './helpers/template.js';

const skip = skipReason();
const suite = useMatrixSuite(skip);

for (const step of STEPS) {
  test(`SIGKILL at ${step}, then azchroot cleanup: nothing left`, { skip }, () => killScenario(suite, { step }));
}

