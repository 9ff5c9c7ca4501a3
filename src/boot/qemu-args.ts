// The QEMU command line of a boot test: the disk through a copy-on-write overlay, the serial
// console on stdout, no network, no display, and no reboot (a reset ends the test).

import type { Firmware } from '../config/boot-options.js';

export type Accel = 'kvm' | 'tcg';

export interface UefiFiles {
  /** Read-only firmware code (OVMF_CODE). */
  code: string;
  /** A private, writable copy of the variable store (OVMF_VARS). */
  vars: string;
}

export interface QemuArgsInput {
  /** The qcow2 overlay whose backing file is the disk under test. */
  overlay: string;
  firmware: Firmware;
  accel: Accel;
  memoryMib: number;
  uefi?: UefiFiles;
  /** BIOS: a file holding SERCON_PORT (SeaBIOS reads the fw_cfg item as a binary integer). */
  serconFile?: string;
}

/** argv for qemu-system-x86_64 (without the program name). */
export function qemuArgs(input: QemuArgsInput): string[] {
  const args = [
    '-nodefaults', '-no-user-config', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-no-reboot',
    '-nic', 'none',
    '-machine', input.firmware === 'uefi' ? 'q35' : 'pc',
    '-accel', input.accel,
    ...(input.accel === 'kvm' ? ['-cpu', 'host'] : []),
    '-m', String(input.memoryMib),
    '-smp', '1',
    '-drive', `file=${driveValue(input.overlay)},format=qcow2,if=virtio,cache=unsafe`,
  ];
  if (input.firmware === 'uefi') {
    if (!input.uefi) throw new TypeError('UEFI boot needs the OVMF files');
    args.push(
      '-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${driveValue(input.uefi.code)}`,
      '-drive', `if=pflash,format=raw,unit=1,file=${driveValue(input.uefi.vars)}`,
    );
  } else {
    // SeaBIOS mirrors the text screen (its own messages, a GRUB that only draws there) to the serial port.
    if (input.serconFile) args.push('-fw_cfg', `name=etc/sercon-port,file=${input.serconFile.replace(/,/g, ',,')}`);
  }
  return args;
}

// A comma inside a -drive value is written twice.
function driveValue(path: string): string {
  return path.replace(/,/g, ',,');
}

/** The content of the sercon-port file: COM1 (0x3f8), little-endian. */
export const SERCON_PORT = Buffer.from([0xf8, 0x03]);

/** Where Debian's ovmf package puts the firmware, newest layout first: [code, vars]. */
export const OVMF_CANDIDATES: [string, string][] = [
  ['/usr/share/OVMF/OVMF_CODE_4M.fd', '/usr/share/OVMF/OVMF_VARS_4M.fd'],
  ['/usr/share/OVMF/OVMF_CODE.fd', '/usr/share/OVMF/OVMF_VARS.fd'],
];
