// Kill matrix, signals: SIGINT, SIGTERM and SIGHUP at every step of a build in the terminal view (a
// real pseudo-terminal; SIGINT is a Ctrl-C typed on it), the plain view and the JSON view. The
// signal rotates over the steps so that each view gets each signal at about a third of the steps.
// No cleanup command runs afterwards: the build itself must leave nothing.

import { test } from 'node:test';
import { skipReason } from '../e2e-failures/helpers/host.js';
import { useMatrixSuite, type View } from './helpers/matrix.js';
import { signalScenario, type Signal } from './helpers/scenario.js';
import { STEPS } from './helpers/template.js';

const skip = skipReason();
const suite = useMatrixSuite(skip);
const VIEWS: View[] = ['tty', 'plain', 'json'];
const SIGNALS: Signal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

VIEWS.forEach((view, v) => {
  STEPS.forEach((step, s) => {
    const signal = SIGNALS[(s + v) % SIGNALS.length]!;
    test(`${view} view: ${signal} at ${step} runs every cleanup and leaves nothing`, { skip }, () => signalScenario(suite, view, signal, { step }));
  });
});
