// Naming the partition device to mount: Packer appends mount_partition to the device verbatim,
// which gives /dev/loop01 or /dev/nvme0n11 for devices whose name ends in a digit.

/** `/dev/sdc` + "1" → /dev/sdc1; `/dev/loop0` + "1" → /dev/loop0p1; "p1" is kept; "" means the whole disk. */
export function partitionDevice(device: string, partition: string): string {
  if (partition === '') return device;
  if (/^\d+$/.test(partition) && /\d$/.test(device)) return `${device}p${partition}`;
  return `${device}${partition}`;
}
