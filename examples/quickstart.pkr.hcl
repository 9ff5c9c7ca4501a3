# azchroot quickstart: a whole build you can run on your own machine, against the local emulator:
#
#   sudo npx azchroot build --emulator examples/quickstart.pkr.hcl
#
# It starts from an empty disk, partitions and formats it, puts a small BusyBox root file system on
# it, provisions it with `shell` and `file`, and publishes a managed image and a gallery version.
# The same template works on a real Azure VM (drop --emulator; the gallery and its image definition
# must exist there; the emulator creates azchroot_gallery/quickstart for you).

variable "gallery_name" {
  type    = string
  default = "azchroot_gallery"
}

locals {
  # A new gallery version on every run: 1.<date>.<time>.
  now     = timestamp()
  version = "1.${formatdate("YYYYMMDD", local.now)}.${formatdate("hhmmss", local.now)}"
}

source "azure-chroot" "quickstart" {
  from_scratch                 = true
  os_disk_size_gb              = 1
  os_disk_storage_account_type = "Standard_LRS"

  # The device is {{.Device}}; a loop or NVMe device names its partitions <dev>p1, a SCSI disk <dev>1.
  pre_mount_commands = [
    "printf 'label: dos\\n,,L\\n' | sfdisk --quiet {{.Device}}",
    "partx -u {{.Device}} || true",
    "case {{.Device}} in *[0-9]) part={{.Device}}p1 ;; *) part={{.Device}}1 ;; esac; mkfs.ext4 -q -F -L root $part",
  ]
  mount_partition = "1"

  post_mount_commands = [
    "mkdir -p {{.MountPath}}/bin {{.MountPath}}/etc {{.MountPath}}/tmp {{.MountPath}}/proc {{.MountPath}}/sys {{.MountPath}}/dev",
    "cp /bin/busybox {{.MountPath}}/bin/busybox",
    "chroot {{.MountPath}} /bin/busybox --install -s /bin",
  ]
  chroot_mounts = [
    ["proc", "proc", "/proc"],
    ["sysfs", "sysfs", "/sys"],
    ["bind", "/dev", "/dev"],
  ]

  image_resource_id = "/subscriptions/{{vm `subscription_id`}}/resourceGroups/{{vm `resource_group`}}/providers/Microsoft.Compute/images/quickstart-{{timestamp}}"

  shared_image_destination {
    resource_group = "{{vm `resource_group`}}"
    gallery_name   = var.gallery_name
    image_name     = "quickstart"
    image_version  = local.version
    target_regions {
      name                 = "{{vm `location`}}"
      replicas             = 1
      storage_account_type = "Standard_LRS"
    }
  }
}

build {
  sources = ["source.azure-chroot.quickstart"]

  provisioner "shell" {
    inline = [
      "echo 'NAME=\"azchroot quickstart\"' > /etc/os-release",
      "echo \"built on $(date -u +%Y-%m-%dT%H:%M:%SZ) from ${source.name}\" > /etc/build-info",
    ]
  }

  provisioner "file" {
    source      = "${path.root}/files/motd"
    destination = "/etc/motd"
  }

  post-processor "manifest" {
    output     = "quickstart-manifest.json"
    strip_path = true
  }
}
