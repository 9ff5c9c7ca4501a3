// The kill matrix's build: from scratch (an empty disk partitioned and formatted in
// pre_mount_commands, BusyBox as its root), every kind of temporary thing a build makes (disk,
// attachment, mount directory, root and chroot mounts, a copied file, policy-rc.d, provisioner temp
// directories, snapshot) and both outputs, so that a kill at any step leaves something to clean up.
// The shell-local provisioner holds at a gate until the test lets it go (or interrupts it there).

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

let versions = 0;

/** The ordered steps of this template (the plain view's step ids). */
export const STEPS = [
  'preflight', 'verify-gallery-destination', 'verify-image-destination', 'create-os-disk', 'attach-disk', 'pre-mount-commands',
  'mount-device', 'post-mount-commands', 'mount-fstab', 'mount-extra', 'copy-files', 'install-policy-rc', 'provision',
  'pre-unmount-commands', 'early-teardown', 'create-image-and-snapshots', 'publish-gallery-version',
] as const;

export type StepId = (typeof STEPS)[number];

/** Writes the template into `dir`; the provisioner waits for `<dir>/go` (created at once unless `hold`). */
export async function writeMatrixTemplate(dir: string, mountRoot: string, name: string, hold: boolean): Promise<string> {
  versions += 1;
  const version = `2.${process.pid % 1000}.${versions}`;
  const gate = join(dir, 'go');
  if (!hold) await writeFile(gate, '');
  const text = `
source "azure-chroot" "km" {
  from_scratch                 = true
  os_disk_size_gb              = 1
  os_disk_storage_account_type = "Standard_LRS"
  mount_path                   = "${mountRoot}/{{.Device}}"
  pre_mount_commands = [
    "printf 'label: dos\\\\n,,L\\\\n' | sfdisk --quiet {{.Device}}",
    "partx -u {{.Device}} || true",
    "mkfs.ext4 -q -F -L root {{.Device}}p1",
  ]
  mount_partition = "1"
  post_mount_commands = [
    "mkdir -p {{.MountPath}}/bin {{.MountPath}}/etc {{.MountPath}}/tmp {{.MountPath}}/proc {{.MountPath}}/dev {{.MountPath}}/usr/sbin",
    "cp /bin/busybox {{.MountPath}}/bin/busybox",
    "chroot {{.MountPath}} /bin/busybox --install -s /bin",
  ]
  chroot_mounts = [
    ["proc", "proc", "/proc"],
    ["bind", "/dev", "/dev"],
  ]
  copy_files           = ["/etc/hostname"]
  pre_unmount_commands = ["sync"]
  image_resource_id    = "/subscriptions/{{vm \`subscription_id\`}}/resourceGroups/{{vm \`resource_group\`}}/providers/Microsoft.Compute/images/${name}-${versions}"
  shared_image_destination {
    resource_group = "{{vm \`resource_group\`}}"
    gallery_name   = "azchroot_gallery"
    image_name     = "quickstart"
    image_version  = "${version}"
    target_regions {
      name                 = "{{vm \`location\`}}"
      replicas             = 1
      storage_account_type = "Standard_LRS"
    }
  }
}

build {
  sources = ["source.azure-chroot.km"]
  provisioner "shell" {
    inline = ["echo provisioned > /etc/provisioned"]
  }
  provisioner "shell-local" {
    inline = ["touch ${join(dir, 'at-gate')}", "while [ ! -e ${gate} ]; do sleep 0.05; done"]
  }
}
`;
  const path = join(dir, 'template.pkr.hcl');
  await writeFile(path, text);
  return path;
}
