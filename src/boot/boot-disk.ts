// The boot-test port: boots a disk (a block device or an image file) under QEMU through a qcow2
// overlay, so nothing is written to the disk, and keeps the serial console in a log file. The
// overlay, the firmware variables and the probe image live in a temp directory named with the
// pid (removed here; `azchroot cleanup` removes those of a killed build).

import { copyFile, rm, writeFile } from 'node:fs/promises';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { HostError } from '../errors.js';
import { runArgv } from '../host/exec.js';
import { makeProvisionerTempDir } from '../provisioners/temp-dir.js';
import { chooseAccel, probeBootSector, PROBE_MARKER, type AccelDecision } from './accel.js';
import { ConsoleWatch } from './console-watch.js';
import { compileExpect, type BootTestConfig, type Firmware } from '../config/boot-options.js';
import { OVMF_CANDIDATES, qemuArgs, SERCON_PORT, type UefiFiles } from './qemu-args.js';
import { runQemu, type QemuOutcome } from './run-qemu.js';

const PROBE_TIMEOUT_MS = 20_000;
const TAIL_LINES = 15;

export interface BootDiskInput {
  /** Block device or raw image file. */
  disk: string;
  /** The disk file's format when it is a file ("raw" or "vpc" for a VHD). */
  diskFormat?: 'raw' | 'vpc';
  firmware: Firmware;
  config: Omit<BootTestConfig, 'firmware'>;
  logPath: string;
  signal?: AbortSignal;
  /** Progress messages ("accelerator: tcg (...)"). */
  say(message: string): void;
  devKvm?: string;
  sysroot?: string;
}

export interface BootDiskResult {
  ok: boolean;
  /** What matched, or why it failed. */
  detail: string;
  accel: AccelDecision;
  ms: number;
  /** Last lines of the console. */
  tail: string[];
  aborted?: boolean;
}

/** Boots `input.disk`; resolves with the result (a failed boot is a result, not a rejection). */
export async function bootDisk(input: BootDiskInput): Promise<BootDiskResult> {
  const expect = compileExpect(input.config.expect);
  if (typeof expect === 'string') throw new HostError('AZC_BOOT_EXPECT', `expect is not a valid regular expression: ${expect}`, { hint: 'write the regex in JavaScript syntax' });
  const dir = await makeProvisionerTempDir('boot-test');
  let log: WriteStream | undefined;
  try {
    const decision = await chooseAccel(input.config.accel, {
      devKvm: input.devKvm ?? '/dev/kvm',
      sysroot: input.sysroot ?? '/sys',
      probe: () => probeKvm(dir, input.signal),
    });
    if ('error' in decision) throw new HostError('AZC_BOOT_KVM', decision.error, { hint: 'use accel = "auto" or "tcg"' });
    input.say(`accelerator: ${decision.accel} (${decision.reason})`);
    const overlay = join(dir, 'overlay.qcow2');
    await runArgv(['qemu-img', 'create', '-q', '-f', 'qcow2', '-F', input.diskFormat ?? 'raw', '-b', input.disk, overlay], { signal: input.signal });
    const uefi = input.firmware === 'uefi' ? await uefiFiles(dir) : undefined;
    const serconFile = join(dir, 'sercon-port');
    await writeFile(serconFile, SERCON_PORT);
    log = createWriteStream(input.logPath, { flags: 'w', mode: 0o644 });
    input.say(`booting ${input.disk} (${input.firmware}, ${input.config.memoryMib} MiB, timeout ${Math.round(input.config.timeoutMs / 1000)} s); console: ${input.logPath}`);
    const watch = new ConsoleWatch(expect);
    const outcome = await runQemu({
      args: qemuArgs({ overlay, firmware: input.firmware, accel: decision.accel, memoryMib: input.config.memoryMib, uefi, serconFile }),
      expect, timeoutMs: input.config.timeoutMs, signal: input.signal, log, watch,
    });
    return { ok: outcome.ok, detail: outcome.ok ? outcome.matched : outcome.reason, accel: decision, ms: outcome.ms, tail: watch.lastLines(TAIL_LINES), ...(!outcome.ok && outcome.aborted ? { aborted: true } : {}) };
  } finally {
    if (log) await new Promise<void>((resolve) => log!.end(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  }
}

async function uefiFiles(dir: string): Promise<UefiFiles> {
  const found = OVMF_CANDIDATES.find(([code, vars]) => existsSync(code) && existsSync(vars));
  if (!found) throw new HostError('AZC_BOOT_FIRMWARE', `UEFI firmware not found (looked for ${OVMF_CANDIDATES.map(([c]) => c).join(', ')})`, { hint: 'apt-get install ovmf' });
  const vars = join(dir, 'OVMF_VARS.fd');
  await copyFile(found[1], vars);
  return { code: found[0], vars };
}

/** Boots the probe sector under KVM; undefined when it printed its marker in time, else why not. */
async function probeKvm(dir: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  const image = join(dir, 'probe.img');
  await writeFile(image, probeBootSector());
  const outcome: QemuOutcome = await runQemu({
    args: ['-nodefaults', '-no-user-config', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-no-reboot', '-nic', 'none',
      '-machine', 'pc', '-accel', 'kvm', '-cpu', 'host', '-m', '32', '-drive', `file=${image.replace(/,/g, ',,')},format=raw,if=ide`],
    expect: new RegExp(PROBE_MARKER), timeoutMs: PROBE_TIMEOUT_MS, signal,
  });
  return outcome.ok ? undefined : outcome.reason;
}
