# A from_scratch build: an empty disk is partitioned and formatted by pre_mount_commands, and the
# provisioners create the operating system (here with debootstrap, on a real Azure VM).

variable "image_name" {
  type    = string
  default = "debian-from-scratch"
}

source "azure-chroot" "scratch" {
  from_scratch                 = true
  os_disk_size_gb              = 8
  os_disk_storage_account_type = "StandardSSD_LRS"
  image_hyperv_generation      = "V2"

  pre_mount_commands = [
    "printf 'label: gpt\\n,,L\\n' | sfdisk --quiet {{.Device}}",
    "partx -u {{.Device}} || true",
    "case {{.Device}} in *[0-9]) part={{.Device}}p1 ;; *) part={{.Device}}1 ;; esac; mkfs.ext4 -q -F -L root $part",
  ]

  image_resource_id = "/subscriptions/{{vm `subscription_id`}}/resourceGroups/{{vm `resource_group`}}/providers/Microsoft.Compute/images/${var.image_name}-{{timestamp}}"
}

build {
  sources = ["source.azure-chroot.scratch"]

  provisioner "shell-local" {
    inline = ["debootstrap --variant=minbase bookworm \"$AZCHROOT_MOUNT_PATH\" http://deb.debian.org/debian"]
  }

  provisioner "shell" {
    inline = ["apt-get install -y linux-image-cloud-amd64 grub-efi-amd64"]
  }
}
