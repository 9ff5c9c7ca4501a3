// Rules for the temporary disks: the OS disk's storage account type.

import { str, type Report } from '../report.js';

/** SKUs Azure does not allow as an OS disk (learn.microsoft.com disks-deploy-premium-v2, disks-enable-ultra-ssd). */
const DATA_ONLY = ['PremiumV2_LRS', 'UltraSSD_LRS'];

/** os_disk_storage_account_type must be a type an OS disk can have: the build's disk becomes the image's OS disk. */
export function checkOsDiskStorageType(b: Record<string, unknown>, report: Report): void {
  const sku = str(b, 'os_disk_storage_account_type');
  if (sku && DATA_ONLY.includes(sku)) {
    report.error('AZC_CONFIG_OS_DISK_SKU', `os_disk_storage_account_type: ${JSON.stringify(sku)} cannot be used for an OS disk`, ['os_disk_storage_account_type'],
      'Azure allows Premium SSD v2 and Ultra disks only as data disks (and not in a gallery); use Premium_LRS, StandardSSD_LRS, Standard_LRS or a *_ZRS type');
  }
}
