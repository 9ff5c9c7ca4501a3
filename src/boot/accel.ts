// Choosing QEMU's accelerator. /dev/kvm alone proves nothing: under a PVM host (the kvm_pvm module,
// nested virtualization without hardware support) firmware and GRUB run but a stock Linux kernel
// hangs, so kvm_pvm counts as unusable; otherwise a tiny probe boot under KVM must print its marker
// within a short time. TCG (software emulation) always works, only slower.

import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Accel } from './qemu-args.js';
import type { AccelChoice } from '../config/boot-options.js';

export interface AccelDecision {
  accel: Accel;
  /** Why, for the build log ("KVM probe booted in 0.4 s", "kvm_pvm is loaded"...). */
  reason: string;
}

export interface AccelEnv {
  devKvm: string;
  sysroot: string;
  /** Boots the probe under KVM; resolves with undefined when it printed its marker, or why not. */
  probe(): Promise<string | undefined>;
}

/** Why KVM cannot be used without even trying, or undefined. */
export async function kvmUnusable(env: Pick<AccelEnv, 'devKvm' | 'sysroot'>): Promise<string | undefined> {
  if (existsSync(join(env.sysroot, 'module', 'kvm_pvm'))) return 'the kvm_pvm module is loaded (PVM nested virtualization: Linux kernels hang under it)';
  try {
    await access(env.devKvm, constants.R_OK | constants.W_OK);
  } catch (e) {
    return `${env.devKvm} is not usable (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  return undefined;
}

/** The accelerator for `choice`: tcg and kvm as asked (kvm still refused when unusable), auto by detection and probe. */
export async function chooseAccel(choice: AccelChoice, env: AccelEnv): Promise<AccelDecision | { error: string }> {
  if (choice === 'tcg') return { accel: 'tcg', reason: 'accel = "tcg"' };
  const unusable = await kvmUnusable(env);
  if (choice === 'kvm') return unusable ? { error: `accel = "kvm" but ${unusable}` } : { accel: 'kvm', reason: 'accel = "kvm"' };
  if (unusable) return { accel: 'tcg', reason: unusable };
  const failed = await env.probe();
  if (failed) return { accel: 'tcg', reason: `the KVM probe failed: ${failed}` };
  return { accel: 'kvm', reason: 'the KVM probe booted' };
}

/**
 * A 512-byte boot sector that writes PROBE_MARKER to the first serial port and halts: real-mode
 * code at 0x7c00 (cli; ds=0; si=message; dx=0x3f8; loop: lodsb, out, until NUL; hlt).
 */
export const PROBE_MARKER = 'AZC-KVM-PROBE-OK';

export function probeBootSector(): Buffer {
  const messageOffset = 24;
  const address = 0x7c00 + messageOffset;
  const code = [
    0xfa, // cli
    0x31, 0xc0, // xor ax, ax
    0x8e, 0xd8, // mov ds, ax
    0xbe, address & 0xff, address >> 8, // mov si, message
    0xba, 0xf8, 0x03, // mov dx, 0x3f8
    0xac, // loop: lodsb
    0x84, 0xc0, // test al, al
    0x74, 0x03, // jz done
    0xee, // out dx, al
    0xeb, 0xf8, // jmp loop
    0xf4, // done: hlt
    0xeb, 0xfd, // jmp done
  ];
  const sector = Buffer.alloc(512);
  Buffer.from(code).copy(sector, 0);
  sector.write(`${PROBE_MARKER}\r\n\0`, messageOffset, 'latin1');
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}
