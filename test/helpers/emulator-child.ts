// Runs the emulator as its own process, so a test can start it inside a sandbox (network and mount
// namespace). Options come as JSON in AZC_EMULATOR_CHILD_OPTIONS (EmulatorOptions); it prints
// "READY <endpoints json>" when serving and stops (detaching all disks) on SIGTERM, SIGINT or when
// its stdin closes (the parent died). Without the variable it does nothing: `node --test dist/test/`
// also loads this file.

import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/api.js';

const ENV = 'AZC_EMULATOR_CHILD_OPTIONS';

/** Starts the emulator from AZC_EMULATOR_CHILD_OPTIONS and serves until told to stop. */
export async function runEmulatorChild(): Promise<void> {
  const options = JSON.parse(process.env[ENV] ?? '{}') as EmulatorOptions;
  // Imported by computed path: the server is built by another part of the project and this
  // helper must compile even while it is missing.
  const modulePath = new URL('../../src/emulator/index.js', import.meta.url).href;
  const { startEmulator } = (await import(modulePath)) as { startEmulator(o: EmulatorOptions): Promise<RunningEmulator> };
  const emulator = await startEmulator({ quiet: true, ...options });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= emulator.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`emulator stop failed: ${String((err as Error)?.stack ?? err)}\n`);
        process.exit(1);
      },
    );
    return stopping;
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.on('error', () => void stop());
  process.stdin.resume();
  process.stdout.write(`READY ${JSON.stringify(emulator.endpoints)}\n`);
}

if (process.env[ENV]) {
  runEmulatorChild().catch((err: unknown) => {
    process.stderr.write(`emulator failed to start: ${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  });
}
