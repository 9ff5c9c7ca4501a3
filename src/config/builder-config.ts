// Turns a validated, rendered azure-chroot body into ChrootConfig: rules, defaults, camelCase.

import type { VmLookup } from '../interpolate/vm-lookup.js';
import type { AuthConfig, CacheType, ChrootConfig, HyperVGeneration, StorageAccountType } from './model.js';
import * as D from './defaults.js';
import { parseGoDuration } from './duration.js';
import { bool, isSet, str, strList, type Report } from './report.js';
import { isResourceOfType } from './resource-id.js';
import { resolveBootTest } from './rules/boot-test.js';
import { resolveCloudName } from './rules/cloud.js';
import { checkHasOutput, resolveImageResourceId, resolveSharedImageDestination } from './rules/destination.js';
import { checkOsDiskStorageType } from './rules/disks.js';
import { checkChrootMounts, checkLvmRootDevice, checkMountPartition } from './rules/mounts.js';
import { resolveSource } from './rules/source.js';

export interface BuilderInputs {
  vm: VmLookup;
  startTime: number;
  runUuid: string;
  buildName: string;
}

const TEMP_IDS: [key: string, field: keyof D.TemporaryIds, type: string][] = [
  ['temporary_os_disk_id', 'temporaryOsDiskId', 'disks'],
  ['temporary_os_disk_snapshot_id', 'temporaryOsDiskSnapshotId', 'snapshots'],
  ['temporary_data_disk_id_prefix', 'temporaryDataDiskIdPrefix', 'disks'],
  ['temporary_data_disk_snapshot_id', 'temporaryDataDiskSnapshotIdPrefix', 'snapshots'],
];

/** ChrootConfig for a body, or undefined when a rule failed (every rule still runs and reports). */
export function buildChrootConfig(b: Record<string, unknown>, inputs: BuilderInputs, report: Report): ChrootConfig | undefined {
  const before = report.diagnostics.filter((d) => d.severity === 'error').length;
  const source = resolveSource(b, report);
  const cloud = resolveCloudName(str(b, 'cloud_environment_name'), report);
  const imageResourceId = resolveImageResourceId(b, report);
  const sharedImageDestination = resolveSharedImageDestination(b, report);
  checkHasOutput(b, report);
  checkOsDiskStorageType(b, report);
  checkMountPartition(str(b, 'mount_partition'), report);
  checkLvmRootDevice(str(b, 'lvm_root_device'), report);
  const mounts = checkChrootMounts(b.chroot_mounts, report);
  const bootTest = resolveBootTest(b, report);

  const defaults = D.defaultTemporaryIds(inputs.vm, inputs.startTime, inputs.runUuid, inputs.buildName);
  const temp = { ...defaults };
  for (const [key, field, type] of TEMP_IDS) {
    const given = str(b, key);
    if (given === undefined || given === '') continue;
    // Prefixes get a LUN appended; check the id of LUN 0.
    const probe = field.endsWith('Prefix') ? `${given}0` : given;
    if (!isResourceOfType(probe, 'Microsoft.Compute', type)) {
      report.error('AZC_CONFIG_TEMP_ID', `${key}: ${JSON.stringify(given)} is not a Microsoft.Compute/${type} resource id`, [key],
        `expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Compute/${type}/<name>`);
    }
    temp[field] = given;
  }

  const publishTimeout = str(b, 'publish_timeout') ?? D.DEFAULT_PUBLISH_TIMEOUT;
  const publishTimeoutMs = parseGoDuration(publishTimeout);
  if (publishTimeoutMs === undefined || publishTimeoutMs <= 0) {
    report.error('AZC_CONFIG_DURATION', `publish_timeout: ${JSON.stringify(publishTimeout)} is not a positive duration`, ['publish_timeout'], 'use a Go duration such as "90m" or "2h"');
  }

  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > before || !source || !cloud) return undefined;

  const fromScratch = source.kind === 'scratch';
  const copyFiles = isSet(b, 'copy_files') ? strList(b, 'copy_files')! : fromScratch ? [] : [...D.DEFAULT_COPY_FILES];
  const config: ChrootConfig = {
    auth: authConfig(b, cloud),
    source,
    commandWrapper: str(b, 'command_wrapper') || D.DEFAULT_COMMAND_WRAPPER,
    preMountCommands: strList(b, 'pre_mount_commands') ?? [],
    postMountCommands: strList(b, 'post_mount_commands') ?? [],
    preUnmountCommands: strList(b, 'pre_unmount_commands') ?? [],
    mountOptions: strList(b, 'mount_options') ?? [],
    mountPartition: str(b, 'mount_partition') || D.DEFAULT_MOUNT_PARTITION,
    mountPartitionExplicit: isSet(b, 'mount_partition'),
    mountPath: str(b, 'mount_path') || D.DEFAULT_MOUNT_PATH,
    chrootMounts: mounts.length > 0 ? mounts : D.defaultChrootMounts(),
    copyFiles,
    osDiskStorageAccountType: (str(b, 'os_disk_storage_account_type') || D.DEFAULT_STORAGE_ACCOUNT_TYPE) as StorageAccountType,
    osDiskCacheType: (str(b, 'os_disk_cache_type') || D.DEFAULT_CACHE_TYPE) as CacheType,
    dataDiskStorageAccountType: (str(b, 'data_disk_storage_account_type') || D.DEFAULT_STORAGE_ACCOUNT_TYPE) as StorageAccountType,
    dataDiskCacheType: (str(b, 'data_disk_cache_type') || D.DEFAULT_CACHE_TYPE) as CacheType,
    ...temp,
    skipCleanup: bool(b, 'skip_cleanup'),
    skipCreateImage: bool(b, 'skip_create_image'),
    publishTimeoutMs: publishTimeoutMs!,
  };
  const manual = str(b, 'manual_mount_command');
  if (manual) config.manualMountCommand = manual;
  if (typeof b.os_disk_size_gb === 'number') config.osDiskSizeGb = b.os_disk_size_gb;
  const gen = str(b, 'image_hyperv_generation');
  if (gen) config.imageHypervGeneration = gen as HyperVGeneration;
  else if (fromScratch) config.imageHypervGeneration = 'V1';
  const lvm = str(b, 'lvm_root_device');
  if (lvm) config.lvmRootDevice = lvm;
  if (imageResourceId) config.imageResourceId = imageResourceId;
  if (sharedImageDestination) config.sharedImageDestination = sharedImageDestination;
  if (bootTest) config.bootTest = bootTest;
  return config;
}

function authConfig(b: Record<string, unknown>, cloud: string): AuthConfig {
  const auth: AuthConfig = { cloudEnvironmentName: cloud, useAzureCliAuth: bool(b, 'use_azure_cli_auth') };
  const keys: [string, keyof AuthConfig][] = [
    ['metadata_host', 'metadataHost'], ['client_id', 'clientId'], ['client_secret', 'clientSecret'],
    ['client_cert_path', 'clientCertPath'], ['client_cert_password', 'clientCertPassword'], ['client_jwt', 'clientJwt'],
    ['object_id', 'objectId'], ['tenant_id', 'tenantId'], ['subscription_id', 'subscriptionId'],
    ['oidc_request_url', 'oidcRequestUrl'], ['oidc_request_token', 'oidcRequestToken'],
  ];
  for (const [key, field] of keys) {
    const v = str(b, key);
    if (v) (auth as unknown as Record<string, string>)[field] = v;
  }
  return auth;
}

/** Secret option values of a builder body, never to be printed. */
export function builderSecrets(b: Record<string, unknown>): string[] {
  return ['client_secret', 'client_jwt', 'client_cert_password', 'oidc_request_token'].map((k) => str(b, k)).filter((v): v is string => !!v);
}
