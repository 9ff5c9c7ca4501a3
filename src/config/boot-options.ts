// The boot test's settings, shared by the builder's boot_test block and `azchroot boot-test`: defaults and checks.

import { parseGoDuration } from './duration.js';
import type { BootTestConfig, Firmware } from './model.js';

export type { AccelChoice, BootTestConfig, Firmware } from './model.js';

/** Build data key of the boot test's console log (the manifest lists it in `files`). */
export const BOOT_LOG_KEY = 'BootTestLog';

export const DEFAULT_BOOT_TIMEOUT = '5m';
export const DEFAULT_BOOT_MEMORY_MIB = 1024;
/** systemd reaching multi-user.target (its status line, or the unit name), or a getty's login prompt. */
export const DEFAULT_BOOT_EXPECT = 'Reached target.*(Multi-User System|multi-user\\.target)|^\\S+ login: ?$';

/** The firmware for a Hyper-V generation: V2 images boot with UEFI only. */
export function firmwareForGeneration(generation: string | undefined): Firmware {
  return generation === 'V2' ? 'uefi' : 'bios';
}

/** The regex for `source`, or an error message saying why it is not one. */
export function compileExpect(source: string): RegExp | string {
  try {
    return new RegExp(source, 'm');
  } catch (e) {
    return (e as Error).message;
  }
}

export interface RawBootOptions {
  timeout?: string;
  expect?: string;
  firmware?: string;
  accel?: string;
  memory?: number | string;
}

export interface BootOptionProblem {
  key: keyof RawBootOptions;
  message: string;
  hint: string;
}

/** The boot test settings for `raw` with defaults applied, or the problems found (every one). */
export function resolveBootOptions(raw: RawBootOptions): BootTestConfig | BootOptionProblem[] {
  const problems: BootOptionProblem[] = [];
  const timeout = raw.timeout ?? DEFAULT_BOOT_TIMEOUT;
  const timeoutMs = parseGoDuration(timeout);
  if (timeoutMs === undefined || timeoutMs <= 0) problems.push({ key: 'timeout', message: `timeout: ${JSON.stringify(timeout)} is not a positive duration`, hint: 'use a Go duration such as "90s" or "5m"' });
  const expect = raw.expect ?? DEFAULT_BOOT_EXPECT;
  const compiled = compileExpect(expect);
  if (typeof compiled === 'string') problems.push({ key: 'expect', message: `expect: ${JSON.stringify(expect)} is not a valid regular expression: ${compiled}`, hint: 'write the regex in JavaScript syntax, for example "login: $"' });
  else if (compiled.test('')) problems.push({ key: 'expect', message: `expect: ${JSON.stringify(expect)} matches an empty console`, hint: 'match something the booted image prints, for example "Reached target.*Multi-User System"' });
  if (raw.firmware !== undefined && raw.firmware !== 'bios' && raw.firmware !== 'uefi') problems.push({ key: 'firmware', message: `firmware: ${JSON.stringify(raw.firmware)} is not bios or uefi`, hint: 'use "bios" (Hyper-V generation V1) or "uefi" (V2), or leave it out to follow the generation' });
  const accel = raw.accel ?? 'auto';
  if (accel !== 'auto' && accel !== 'kvm' && accel !== 'tcg') problems.push({ key: 'accel', message: `accel: ${JSON.stringify(accel)} is not auto, kvm or tcg`, hint: 'use "auto" (KVM when it works, TCG otherwise), "kvm" or "tcg"' });
  const memory = raw.memory === undefined ? DEFAULT_BOOT_MEMORY_MIB : Number(raw.memory);
  if (!Number.isInteger(memory) || memory < 128) problems.push({ key: 'memory', message: `memory: ${JSON.stringify(raw.memory)} is not a whole number of MiB of at least 128`, hint: 'for example 1024' });
  if (problems.length > 0) return problems;
  const config: BootTestConfig = { timeoutMs: timeoutMs!, expect, accel: accel as BootTestConfig['accel'], memoryMib: memory };
  if (raw.firmware) config.firmware = raw.firmware as BootTestConfig['firmware'] & string;
  return config;
}
