# From the azure-chroot reference, "Using a Service Principal" (HCL2). The reference page prints
# the closing brace of one variable block and the next block on one line, which HCL (and Packer) rejects with "Missing newline
# after block definition"; here the two blocks are on separate lines, nothing else changed.
# Values come from example.auto.pkrvars.hcl here; in real use pass -var or PKR_VAR_x.

variable "client_id" {
  type = string
}
variable "client_secret" {
  type = string
}
variable "subscription_id" {
  type = string
}
variable "resource_group" {
  type = string
}

source "azure-chroot" "basic-example" {
  client_id = var.client_id
  client_secret = var.client_secret
  subscription_id = var.subscription_id

  image_resource_id = "/subscriptions/${var.subscription_id}/resourceGroups/${var.resource_group}/providers/Microsoft.Compute/images/MyDebianOSImage-{{timestamp}}"

  source = "credativ:Debian:9:latest"
}

build {
  sources = ["sources.azure-chroot.basic-example"]

  provisioner "shell" {
    inline = ["apt-get update", "apt-get upgrade -y"]
    inline_shebang = "/bin/sh -x"
  }
}
