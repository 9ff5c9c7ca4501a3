// A complete BuildConfig for runner and step tests, with Packer's defaults; override what a test needs.

import type { BuildConfig, ChrootConfig } from '../../src/config/model.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const RG = `/subscriptions/${SUB}/resourceGroups/build-rg/providers/Microsoft.Compute`;

/** The builder part with defaults. */
export function chrootDefaults(overrides: Partial<ChrootConfig> = {}): ChrootConfig {
  return {
    auth: { cloudEnvironmentName: 'Public', useAzureCliAuth: false },
    source: { kind: 'platform', publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' },
    commandWrapper: '{{.Command}}',
    preMountCommands: [],
    postMountCommands: [],
    preUnmountCommands: [],
    mountOptions: [],
    mountPartition: '1',
    mountPath: '/mnt/packer-azure-chroot-disks/{{.Device}}',
    chrootMounts: [['proc', 'proc', '/proc'], ['sysfs', 'sysfs', '/sys'], ['bind', '/dev', '/dev'], ['devpts', 'devpts', '/dev/pts'], ['binfmt_misc', 'binfmt_misc', '/proc/sys/fs/binfmt_misc']],
    copyFiles: ['/etc/resolv.conf'],
    osDiskStorageAccountType: 'Premium_LRS',
    osDiskCacheType: 'ReadOnly',
    dataDiskStorageAccountType: 'Premium_LRS',
    dataDiskCacheType: 'ReadOnly',
    temporaryOsDiskId: `${RG}/disks/PackerTemp-osdisk-1`,
    temporaryOsDiskSnapshotId: `${RG}/snapshots/PackerTemp-osdisk-snapshot-1`,
    temporaryDataDiskIdPrefix: `${RG}/disks/PackerTemp-datadisk-1-`,
    temporaryDataDiskSnapshotIdPrefix: `${RG}/snapshots/PackerTemp-datadisk-snapshot-1-`,
    skipCleanup: false,
    skipCreateImage: false,
    imageResourceId: `${RG}/images/myimage`,
    publishTimeoutMs: 900_000,
    ...overrides,
  };
}

/** A BuildConfig around `chrootDefaults(overrides)`. */
export function chrootConfig(overrides: Partial<ChrootConfig> = {}): BuildConfig {
  return {
    name: 'azure-chroot.test',
    sourceType: 'azure-chroot',
    sourceName: 'test',
    sourceLabel: 'test',
    builder: chrootDefaults(overrides),
    provisioners: [],
    postProcessors: [],
    secrets: [],
    templateContext: { kind: 'hcl2', userVars: {}, templateDir: '/tmp', startTime: 1700000000, runUuid: '11111111-2222-3333-4444-555555555555' },
  };
}

export const TEST_SUBSCRIPTION = SUB;
export const TEST_RG_PREFIX = RG;
