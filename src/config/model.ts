// The resolved, validated configuration of one build: what the runner and the steps consume.
// Produced by src/config from a RawBuild. Option names are camelCase versions of the template keys.
// Fields documented as "deferred" still hold Go-template text rendered by the steps with step data
// (see src/interpolate/deferred-fields.ts); every other string is fully rendered.

export type StorageAccountType =
  | 'Standard_LRS' | 'Premium_LRS' | 'StandardSSD_LRS' | 'UltraSSD_LRS'
  | 'Premium_ZRS' | 'StandardSSD_ZRS' | 'PremiumV2_LRS';
export type CacheType = 'None' | 'ReadOnly' | 'ReadWrite';
export type HyperVGeneration = 'V1' | 'V2';
export type Firmware = 'bios' | 'uefi';
export type AccelChoice = 'auto' | 'kvm' | 'tcg';

/** The boot_test block (azchroot extension): boot the disk under QEMU before capture. */
export interface BootTestConfig {
  timeoutMs: number;
  /** Regex source (JavaScript syntax) the serial console must print. */
  expect: string;
  /** Undefined: from the Hyper-V generation (V1 bios, V2 uefi). */
  firmware?: Firmware;
  accel: AccelChoice;
  memoryMib: number;
}

export type SourceSpec =
  | { kind: 'scratch' }
  | { kind: 'platform'; publisher: string; offer: string; sku: string; version: string /* may be "latest" */ }
  | { kind: 'disk'; id: string }
  | { kind: 'gallery'; id: string };

export interface AuthConfig {
  cloudEnvironmentName: string; // default "Public"
  metadataHost?: string;
  clientId?: string;
  clientSecret?: string;
  clientCertPath?: string;
  clientCertPassword?: string;
  clientJwt?: string;
  objectId?: string;
  tenantId?: string;
  subscriptionId?: string;
  oidcRequestUrl?: string;
  oidcRequestToken?: string;
  useAzureCliAuth: boolean;
}

export interface TargetRegion {
  name: string;
  replicas: number; // default 1 (applied, unlike Packer: see README)
  storageAccountType: string; // default Standard_ZRS... decided in src/config/defaults.ts
}

export interface SharedImageDestination {
  subscription?: string;
  resourceGroup: string;
  galleryName: string;
  imageName: string;
  imageVersion: string;
  targetRegions: TargetRegion[];
  excludeFromLatest: boolean;
  endOfLifeDate?: string;
}

export interface ChrootConfig {
  auth: AuthConfig;
  source: SourceSpec;
  /** Deferred: `{{.Command}}`. */
  commandWrapper: string;
  manualMountCommand?: string;
  /** Deferred: `{{.Device}}`. */
  preMountCommands: string[];
  /** Deferred: `{{.Device}}`, `{{.MountPath}}`. */
  postMountCommands: string[];
  /** Deferred: `{{.Device}}`, `{{.MountPath}}`. */
  preUnmountCommands: string[];
  mountOptions: string[];
  /** Suffix appended to the device path: "1", "p1"... */
  mountPartition: string;
  /** mount_partition was set in the template: it then wins over automatic LVM detection. */
  mountPartitionExplicit?: boolean;
  /** Deferred: `{{.Device}}` (basename of the device). */
  mountPath: string;
  /** [fstype, source, target] triples; defaults to Packer's five. */
  chrootMounts: [string, string, string][];
  copyFiles: string[];
  osDiskSizeGb?: number;
  osDiskStorageAccountType: StorageAccountType;
  osDiskCacheType: CacheType;
  dataDiskStorageAccountType: StorageAccountType;
  dataDiskCacheType: CacheType;
  /** Undefined: infer from the source (platform image, disk, gallery definition); V1 for from_scratch. */
  imageHypervGeneration?: HyperVGeneration;
  /** Full resource ids, unique per run. */
  temporaryOsDiskId: string;
  temporaryOsDiskSnapshotId: string;
  temporaryDataDiskIdPrefix: string;
  temporaryDataDiskSnapshotIdPrefix: string;
  lvmRootDevice?: string;
  skipCleanup: boolean;
  skipCreateImage: boolean;
  imageResourceId?: string;
  sharedImageDestination?: SharedImageDestination;
  /** Time to wait for a gallery version to publish, in ms (Packer: fixed 15 min). */
  publishTimeoutMs: number;
  /** boot_test: boot the disk under QEMU after unmount, before detach and capture. Undefined: off. */
  bootTest?: BootTestConfig;
}

/** Settings common to every provisioner, from Packer's reserved keys. */
export interface ProvisionerCommon {
  name?: string;
  pauseBeforeMs?: number;
  timeoutMs?: number;
  maxRetries: number;
}

export interface ShellProvisioner extends ProvisionerCommon {
  type: 'shell';
  /** Exactly one of inline / scripts is non-empty (script is folded into scripts). Inline lines are Go-template text rendered at run time. */
  inline?: string[];
  scripts?: string[];
  inlineShebang: string; // "/bin/sh -e"
  environmentVars: string[]; // "K=V"
  env: Record<string, string>;
  envVarFormat: string; // "%s='%s' "
  useEnvVarFile: boolean;
  /** Deferred: `{{.Vars}}`, `{{.Path}}`, `{{.EnvVarFile}}`. */
  executeCommand: string;
  remoteFolder: string;
  remoteFile: string;
  remotePath: string;
  skipClean: boolean;
  expectDisconnect: boolean;
  validExitCodes: number[];
  binary: boolean;
}

export interface FileProvisioner extends ProvisionerCommon {
  type: 'file';
  sources: string[];
  content?: string;
  destination: string;
  direction: 'upload' | 'download';
  generated: boolean;
}

export interface ShellLocalProvisioner extends ProvisionerCommon {
  type: 'shell-local';
  command?: string;
  inline?: string[];
  scripts?: string[];
  inlineShebang: string;
  environmentVars: string[];
  env: Record<string, string>;
  envVarFormat: string;
  /** Deferred: `{{.Vars}}`, `{{.Script}}`; argv form. */
  executeCommand: string[];
  onlyOn?: string[];
  validExitCodes: number[];
  tempfileExtension?: string;
}

export type ProvisionerConfig = ShellProvisioner | FileProvisioner | ShellLocalProvisioner;

export interface ManifestPostProcessor {
  type: 'manifest';
  name?: string;
  output: string; // packer-manifest.json
  stripPath: boolean;
  stripTime: boolean;
  /** Values are Go-template text rendered at post-process time with build data. */
  customData?: Record<string, string>;
  keepInputArtifact?: boolean;
}

export interface ShellLocalPostProcessor extends Omit<ShellLocalProvisioner, 'type' | keyof ProvisionerCommon> {
  type: 'shell-local';
  name?: string;
  keepInputArtifact?: boolean;
}

export type PostProcessorConfig = ManifestPostProcessor | ShellLocalPostProcessor;

/** Everything one build needs. */
export interface BuildConfig {
  /** Display name (`azure-chroot.example`, `mybuild.azure-chroot.example`). */
  name: string;
  sourceType: 'azure-chroot';
  sourceName: string;
  /** Go-template `build_name`. */
  sourceLabel: string;
  builder: ChrootConfig;
  provisioners: ProvisionerConfig[];
  /** `error-cleanup-provisioner`: runs in the chroot when provisioning failed, before the cleanup. */
  errorCleanupProvisioner?: ProvisionerConfig;
  postProcessors: PostProcessorConfig[][];
  /** Strings never to print: secrets from the builder (client_secret, client_jwt, cert password, oidc token) and sensitive variables. */
  secrets: string[];
  /** Values for the Go-template functions that stay valid at step time (user vars, template_dir...). */
  templateContext: TemplateRuntime;
}

/** What the step-time Go-template renderer needs besides step data. */
export interface TemplateRuntime {
  kind: 'hcl2' | 'json';
  userVars: Record<string, string>;
  templateDir: string;
  /** Unix seconds of process start: {{timestamp}} is constant for a run. */
  startTime: number;
  /** Identifier of this run (PACKER_RUN_UUID). */
  runUuid: string;
  /** Go-template `build_name` (source label in HCL, builder name in JSON) and `build_type`. Added, optional. */
  buildName?: string;
  buildType?: string;
  /** Go-template `pwd`; defaults to process.cwd(). Added, optional. */
  cwd?: string;
}
