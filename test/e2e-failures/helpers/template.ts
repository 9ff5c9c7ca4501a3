// From-scratch templates for the failure tests (no platform image needed): an empty 1 GiB disk is
// partitioned and formatted, gets a BusyBox root, then runs the provisioners each test asks for.
// Every template mounts under the test's own directory so tests never share a mount point.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface TemplateOptions {
  /** Directory holding the mount points ({{.Device}} is appended). */
  mountRoot: string;
  /** HCL provisioner blocks, inside `build {}`. */
  provisioners?: string;
  /** Publish azchroot_gallery/quickstart at this version. */
  galleryVersion?: string;
  /** Create the managed image of this name in the VM's resource group. */
  imageName?: string;
  /** Extra lines inside the source block (credentials, pre_unmount_commands...). */
  sourceExtra?: string;
  /** Top-level HCL before the source (variables, locals). */
  head?: string;
}

let counter = 0;

/** A gallery version number not used before in this process: 1.0.<n>. */
export function nextVersion(): string {
  counter += 1;
  return `1.0.${counter}`;
}

/** The HCL text of a from-scratch template. */
export function scratchTemplate(o: TemplateOptions): string {
  const image = o.imageName
    ? `  image_resource_id = "/subscriptions/{{vm \`subscription_id\`}}/resourceGroups/{{vm \`resource_group\`}}/providers/Microsoft.Compute/images/${o.imageName}"\n`
    : '';
  const gallery = o.galleryVersion
    ? `  shared_image_destination {
    resource_group = "{{vm \`resource_group\`}}"
    gallery_name   = "azchroot_gallery"
    image_name     = "quickstart"
    image_version  = "${o.galleryVersion}"
    target_regions {
      name                 = "{{vm \`location\`}}"
      replicas             = 1
      storage_account_type = "Standard_LRS"
    }
  }
`
    : '';
  return `${o.head ?? ''}
source "azure-chroot" "e2e" {
  from_scratch                 = true
  os_disk_size_gb              = 1
  os_disk_storage_account_type = "Standard_LRS"
  mount_path                   = "${o.mountRoot}/{{.Device}}"
  pre_mount_commands = [
    "printf 'label: dos\\\\n,,L\\\\n' | sfdisk --quiet {{.Device}}",
    "partx -u {{.Device}} || true",
    "mkfs.ext4 -q -F -L root {{.Device}}p1",
  ]
  mount_partition = "1"
  post_mount_commands = [
    "mkdir -p {{.MountPath}}/bin {{.MountPath}}/etc {{.MountPath}}/tmp {{.MountPath}}/proc {{.MountPath}}/dev",
    "cp /bin/busybox {{.MountPath}}/bin/busybox",
    "chroot {{.MountPath}} /bin/busybox --install -s /bin",
  ]
  chroot_mounts = [
    ["proc", "proc", "/proc"],
    ["bind", "/dev", "/dev"],
  ]
${image}${gallery}${o.sourceExtra ?? ''}
}

build {
  sources = ["source.azure-chroot.e2e"]
${o.provisioners ?? ''}
}
`;
}

/** Writes the template to <dir>/template.pkr.hcl and returns its path. */
export async function writeTemplate(dir: string, o: TemplateOptions): Promise<string> {
  const path = join(dir, 'template.pkr.hcl');
  await writeFile(path, scratchTemplate(o));
  return path;
}

/** A shell provisioner running `lines` (each a shell command, HCL-escaped here). */
export function shellProvisioner(lines: readonly string[]): string {
  return `  provisioner "shell" {\n    inline = [${lines.map((l) => JSON.stringify(l).replace(/\$\{/g, '$${')).join(', ')}]\n  }\n`;
}

/** Resource ids in the emulator's default subscription and resource group. */
export const ids = {
  sub: '00000000-0000-0000-0000-000000000001',
  rg: 'azchroot-rg',
  image: (name: string) => `/subscriptions/${ids.sub}/resourceGroups/${ids.rg}/providers/Microsoft.Compute/images/${name}`,
  galleryVersion: (version: string) => `/subscriptions/${ids.sub}/resourceGroups/${ids.rg}/providers/Microsoft.Compute/galleries/azchroot_gallery/images/quickstart/versions/${version}`,
};
