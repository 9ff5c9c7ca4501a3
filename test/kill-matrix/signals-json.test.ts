// Kill matrix, signals in the JSON view: SIGINT, SIGTERM and SIGHUP at every step of a build (the
// terminal view runs on a real pseudo-terminal, where SIGINT is a Ctrl-C typed on it). The signal
// rotates over the steps (offset per view) so that each view gets each signal at a third of them.
// No cleanup command runs afterwards: the build itself must leave nothing.

import { test } from 'node:test';
import { skipReason } from '../e2e-failures/helpers/host.js';
import { useMatrixSuite, type View } from './helpers/matrix.js';
import { signalScenario, type Signal } from './helpers/scenario.js';
import { STEPS } from './helpers/template.js';

const skip = skipReason();
const suite = useMatrixSuite(skip);
const VIEWS: View[] = ['tty', 'plain', 'json'];
const view: View = 'json';
const v = VIEWS.indexOf(view);
const SIGNALS: Signal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

STEPS.forEach((step, s) => {
  const signal = SIGNALS[(s + v) % SIGNALS.length]!;
  test(`${view} view: ${signal} at ${step} runs every cleanup and leaves nothing`, { skip }, () => signalScenario(suite, view, signal, { step }));
});
