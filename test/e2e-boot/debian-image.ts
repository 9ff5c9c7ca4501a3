// Templates and inputs of the Debian boot tests: a from_scratch build from the cached bookworm root
// file system (test/e2e-boot/make-rootfs.sh), GRUB installed to the attached disk from inside the
// chroot, fstab by UUID, and a package installed offline with dpkg -i whose postinst asks
// policy-rc.d (and records the answer) and then leaves a daemon running anyway.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The root file system tarball, set by .ci/boot (AZCHROOT_BOOT_ROOTFS=$(bash test/e2e-boot/make-rootfs.sh)); unset: the tests skip. */
export const ROOTFS = process.env.AZCHROOT_BOOT_ROOTFS;

/** Builds <dir>/azc-daemon.deb; returns its path. */
export function makeDaemonDeb(dir: string): string {
  const root = join(dir, 'azc-daemon');
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(join(root, 'DEBIAN', 'control'), [
    'Package: azc-daemon', 'Version: 1.0', 'Architecture: all', 'Maintainer: azchroot tests <tests@example.invalid>',
    'Description: test package whose postinst leaves a daemon running', '',
  ].join('\n'));
  writeFileSync(join(root, 'DEBIAN', 'postinst'), [
    '#!/bin/sh',
    'set -e',
    'mkdir -p /var/lib/azc-daemon',
    // What invoke-rc.d asks before starting a service: azchroot's policy-rc.d must say 101 (denied).
    'rc=0; /usr/sbin/policy-rc.d azc-daemon start || rc=$?',
    'echo $rc > /var/lib/azc-daemon/policy-rc.d-answer',
    // A hook that ignores the policy: this process keeps the chroot busy until azchroot stops it.
    'setsid /bin/sleep 86400 </dev/null >/dev/null 2>&1 &',
    'exit 0', '',
  ].join('\n'));
  chmodSync(join(root, 'DEBIAN', 'postinst'), 0o755);
  const deb = join(dir, 'azc-daemon.deb');
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, deb], { stdio: 'pipe' });
  rmSync(root, { recursive: true, force: true });
  return deb;
}

const CHROOT_MOUNTS = `[
    ["proc", "proc", "/proc"],
    ["sysfs", "sysfs", "/sys"],
    ["bind", "/dev", "/dev"],
    ["devpts", "devpts", "/dev/pts"],
    ["bind", "/dev/disk", "/dev/disk"],
  ]`;

const GRUB_DEFAULTS = `"printf '%s\\n' 'GRUB_TIMEOUT=0' 'GRUB_CMDLINE_LINUX=\\"console=ttyS0,115200\\"' 'GRUB_TERMINAL=\\"serial console\\"' 'GRUB_SERIAL_COMMAND=\\"serial --unit=0 --speed=115200\\"' >> /etc/default/grub"`;

export interface ScratchOptions {
  dir: string;
  name: string;
  imageId: string;
  generation: 'V1' | 'V2';
  bootTest: string;
  deb: string;
}

/** A from_scratch template: V1 = DOS label, one ext4 partition, GRUB for BIOS; V2 = GPT, ESP + ext4, GRUB for UEFI at the removable-media path. */
export function scratchTemplate(o: ScratchOptions): string {
  const v2 = o.generation === 'V2';
  const root = v2 ? 'p2' : 'p1';
  const partition = v2
    ? ["printf 'label: gpt\\nsize=64MiB,type=U\\n,,L\\n' | sfdisk --quiet {{.Device}}", 'partx -a {{.Device}} 2>/dev/null || partx -u {{.Device}}', 'mkfs.vfat -n ESP {{.Device}}p1', 'mkfs.ext4 -q -F -L root {{.Device}}p2']
    : ["printf 'label: dos\\n,,L,*\\n' | sfdisk --quiet {{.Device}}", 'partx -a {{.Device}} 2>/dev/null || partx -u {{.Device}}', 'mkfs.ext4 -q -F -L root {{.Device}}p1'];
  const extract = [`tar -xf ${ROOTFS} -C {{.MountPath}} --numeric-owner`];
  const fstab = ['echo "UUID=$(grub-probe --target=fs_uuid /) / ext4 errors=remount-ro 0 1" > /etc/fstab'];
  // V2: the host kernel may lack vfat, so the ESP is written with mtools instead of mounted; a
  // standalone GRUB at the removable-media path finds the root by UUID and reads its grub.cfg.
  const grub = v2
    ? [
      'printf \'insmod part_gpt\\ninsmod ext2\\nsearch --no-floppy --fs-uuid --set=root %s\\nset prefix=($root)/boot/grub\\nconfigfile $prefix/grub.cfg\\n\' "$(grub-probe --target=fs_uuid /)" > /tmp/grub-embed.cfg',
      // What grub-install would put beside grub.cfg: the modules its insmod lines load.
      'mkdir -p /boot/grub && cp -r /usr/lib/grub/x86_64-efi /boot/grub/',
      'grub-mkstandalone -O x86_64-efi -o /tmp/BOOTX64.EFI boot/grub/grub.cfg=/tmp/grub-embed.cfg',
      'export MTOOLS_SKIP_CHECK=1; esp="$(grub-probe --target=disk /)"p1; mmd -i "$esp" ::/EFI ::/EFI/BOOT && mcopy -i "$esp" /tmp/BOOTX64.EFI ::/EFI/BOOT/BOOTX64.EFI',
      'rm -f /tmp/BOOTX64.EFI /tmp/grub-embed.cfg',
    ]
    : ['grub-install --target=i386-pc "$(grub-probe --target=disk /)"'];
  const q = (s: string): string => JSON.stringify(s);
  return `
source "azure-chroot" "${o.name}" {
  from_scratch            = true
  os_disk_size_gb         = 2
  image_hyperv_generation = "${o.generation}"
  mount_path              = "${o.dir}/mnt/{{.Device}}"
  mount_partition         = "${root}"
  pre_mount_commands      = [${partition.map(q).join(', ')}]
  post_mount_commands     = [${extract.map(q).join(', ')}]
  chroot_mounts           = ${CHROOT_MOUNTS}
  image_resource_id       = "${o.imageId}"
  ${o.bootTest}
}

build {
  sources = ["source.azure-chroot.${o.name}"]
  provisioner "file" {
    source      = "${o.deb}"
    destination = "/tmp/azc-daemon.deb"
  }
  provisioner "shell" {
    inline = [
      "echo ${o.name} > /etc/hostname",
      ${[...fstab, ...grub].map(q).join(',\n      ')},
      ${GRUB_DEFAULTS},
      "update-grub",
      "grep -q \\"root=UUID=$(grub-probe --target=fs_uuid /)\\" /boot/grub/grub.cfg || { echo 'grub.cfg names no root=UUID:'; grep -m1 -o 'root=[^ ]*' /boot/grub/grub.cfg; exit 1; }",
      "dpkg -i /tmp/azc-daemon.deb",
      "rm -f /tmp/azc-daemon.deb",
    ]
  }
  post-processor "manifest" {
    output = "${o.dir}/manifest.json"
  }
}
`;
}

export interface LayeredOptions {
  dir: string;
  name: string;
  urn: string;
  imageId: string;
  bootTest: string;
  inline: string[];
}

/** A build layered on a registered platform image (its default chroot mounts and copy_files). */
export function layeredTemplate(o: LayeredOptions): string {
  return `
source "azure-chroot" "${o.name}" {
  source            = "${o.urn}"
  mount_path        = "${o.dir}/mnt/{{.Device}}"
  image_resource_id = "${o.imageId}"
  ${o.bootTest}
}

build {
  sources = ["source.azure-chroot.${o.name}"]
  provisioner "shell" {
    inline = [${o.inline.map((s) => JSON.stringify(s)).join(', ')}]
  }
}
`;
}

/** A systemd unit printing `marker` on the serial console once multi-user.target is reached. */
export function markerUnitCommands(marker: string): string[] {
  return [
    `printf '[Unit]\\nAfter=multi-user.target\\n[Service]\\nType=oneshot\\nExecStart=/bin/sh -c "echo ${marker} > /dev/ttyS0"\\n[Install]\\nWantedBy=multi-user.target\\n' > /etc/systemd/system/azc-marker.service`,
    'systemctl enable azc-marker.service',
  ];
}
