# A bootable Debian bookworm image from scratch, booted under QEMU before it is captured
# (boot_test): if it does not reach a login prompt, nothing is published.
#
#   mmdebstrap --variant=minbase --include=linux-image-amd64,systemd-sysv,grub-pc,e2fsprogs \
#     bookworm /var/cache/debian-bookworm.tar          # once, where Debian's mirror is reachable
#   sudo azchroot build examples/debian-boot-test.pkr.hcl
#
# On Azure, udev makes /dev/disk/by-uuid for the new partitions; azchroot asks for a rescan after
# pre_mount_commands, so update-grub writes root=UUID=... rather than the build host's device name.
# Under the emulator (--emulator) its device-link service makes those links in the emulator's devroot;
# bind that over /dev/disk in a private mount namespace for update-grub to see them.

variable "rootfs" {
  type        = string
  default     = "/var/cache/debian-bookworm.tar"
  description = "Debian root file system tarball (kernel, systemd, GRUB), e.g. made with mmdebstrap."
}

variable "image_name" {
  type    = string
  default = "debian-bookworm-boot-tested"
}

source "azure-chroot" "debian" {
  from_scratch            = true
  os_disk_size_gb         = 4
  image_hyperv_generation = "V1"

  pre_mount_commands = [
    "printf 'label: dos\\n,,L,*\\n' | sfdisk --quiet {{.Device}}",
    "partx -a {{.Device}} 2>/dev/null || partx -u {{.Device}}",
    "case {{.Device}} in *[0-9]) part={{.Device}}p1 ;; *) part={{.Device}}1 ;; esac; mkfs.ext4 -q -F -L root $part",
  ]
  post_mount_commands = ["tar -xf ${var.rootfs} -C {{.MountPath}} --numeric-owner"]

  image_resource_id = "/subscriptions/{{vm `subscription_id`}}/resourceGroups/{{vm `resource_group`}}/providers/Microsoft.Compute/images/${var.image_name}-{{timestamp}}"

  # Off without this block. Defaults: timeout "5m", expect = systemd reaching multi-user.target or
  # a login prompt, firmware from the Hyper-V generation (V1 bios, V2 uefi), accel "auto" (KVM when a
  # probe boot works, TCG otherwise), memory 1024 (MiB).
  boot_test {
    timeout = "10m"
  }
}

build {
  sources = ["source.azure-chroot.debian"]

  provisioner "shell" {
    inline = [
      "echo \"UUID=$(grub-probe --target=fs_uuid /) / ext4 errors=remount-ro 0 1\" > /etc/fstab",
      "echo 'GRUB_CMDLINE_LINUX=\"console=tty0 console=ttyS0,115200\"' >> /etc/default/grub",
      "echo 'GRUB_TERMINAL=\"serial console\"' >> /etc/default/grub",
      "grub-install --target=i386-pc \"$(grub-probe --target=disk /)\"",
      "update-grub",
    ]
  }

  # The boot test's console log (debian.boot.log, next to the manifest) is listed in its "files".
  post-processor "manifest" {
    output = "manifest.json"
  }
}
