#!/usr/bin/env bash
# Makes (once) the Debian bookworm root file system the boot e2e test builds its images from: a
# kernel, systemd and GRUB (BIOS and EFI binaries; mtools writes the EFI loader to an ESP the host
# kernel may not be able to mount), as a tarball cached between CI runs. Runs in the
# ROOT network namespace: only there is Debian's mirror reachable; the builds themselves do not need it.
# Prints the tarball's path.
set -euo pipefail
CACHE=${AZCHROOT_CI_CACHE:-/var/cache/azchroot-ci}
# Bump the suffix when the package list changes: an old tarball is then not reused.
TARBALL=$CACHE/debian-bookworm-boot-v2.tar
PACKAGES=linux-image-amd64,systemd-sysv,grub-pc,grub-efi-amd64-bin,e2fsprogs,dosfstools,mtools,initramfs-tools
if [[ ! -s $TARBALL ]]; then
  mkdir -p "$CACHE"
  tmp=$(mktemp "$TARBALL.XXXXXX")
  trap 'rm -f "$tmp"' EXIT
  mmdebstrap --quiet --variant=minbase --format=tar \
    --aptopt='APT::Install-Recommends "false"' \
    --include="$PACKAGES" \
    --customize-hook='rm -f "$1"/etc/machine-id "$1"/var/lib/dbus/machine-id; : > "$1"/etc/machine-id' \
    bookworm "$tmp" http://deb.debian.org/debian >&2
  mv -f "$tmp" "$TARBALL"
  trap - EXIT
fi
echo "$TARBALL"
