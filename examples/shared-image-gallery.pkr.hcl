# Publish an updated Ubuntu image to an Azure Compute Gallery, replicated to two regions.
# The gallery and the image definition must exist (az sig image-definition create ...).

variable "gallery_resource_group" {
  type    = string
  default = "images-rg"
}

variable "image_version" {
  type        = string
  default     = "1.0.0"
  description = "Gallery image version to publish (major.minor.patch)."
  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.image_version))
    error_message = "The image_version must look like 1.2.3."
  }
}

locals {
  regions = ["westeurope", "northeurope"]
}

source "azure-chroot" "ubuntu" {
  source                  = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest"
  image_hyperv_generation = "V2"
  mount_options           = ["nouuid"]

  shared_image_destination {
    resource_group      = var.gallery_resource_group
    gallery_name        = "images"
    image_name          = "ubuntu-jammy"
    image_version       = var.image_version
    exclude_from_latest = false

    dynamic "target_regions" {
      for_each = local.regions
      content {
        name                 = target_regions.value
        replicas             = 1
        storage_account_type = "Standard_LRS"
      }
    }
  }
}

build {
  sources = ["source.azure-chroot.ubuntu"]

  provisioner "shell" {
    environment_vars = ["DEBIAN_FRONTEND=noninteractive"]
    inline           = ["apt-get update", "apt-get -y dist-upgrade", "apt-get clean"]
  }

  post-processor "manifest" {
    output = "manifest.json"
  }
}
