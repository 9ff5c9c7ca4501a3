// Public entry of the Azure emulator: start it on the real disk backend, or find a running one.

import type { EmulatorOptions, RunningEmulator } from './api.js';
import { resolveOptions, type EmulatorTuning } from './defaults.js';
import { createDiskBackend } from './disks/index.js';
import { startEmulatorWith } from './start.js';

export { readEndpoints, startEmulatorWith } from './start.js';
export type { EmulatorTuning } from './defaults.js';
export { AZURE_LATENCY_MS } from './latency.js';
export { SYSTEM_ASSIGNED_CLIENT_ID } from './imds-server.js';

/** Starts the emulator on sparse-file disks and loop devices (see src/emulator/disks). */
export async function startEmulator(options: EmulatorOptions & EmulatorTuning): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  return startEmulatorWith(options, createDiskBackend(resolved.stateDir, resolved.devroot));
}
