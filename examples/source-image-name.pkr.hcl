# The reference's "Build Shared Information Variables" example. Its HCL fragment names an
# "amazon-arm" source and is not a whole template; this is the same example, completed.
# Inside the builder, generated data is reached with Go-template syntax; in provisioners and
# post-processors with HCL syntax (build.SourceImageName).

source "azure-chroot" "basic-example" {
  source            = "credativ:Debian:9:latest"
  image_resource_id = "/subscriptions/{{vm `subscription_id`}}/resourceGroups/{{vm `resource_group`}}/providers/Microsoft.Compute/images/debian-{{timestamp}}"
}

build {
  sources = ["source.azure-chroot.basic-example"]

  post-processor "manifest" {
    output     = "manifest.json"
    strip_path = true
    custom_data = {
      source_image_name = "${build.SourceImageName}"
    }
  }
}
