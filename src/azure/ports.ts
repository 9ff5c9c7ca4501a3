// The narrow Azure surface the build steps use. src/azure/arm.ts implements it with
// @azure/arm-compute; tests may use a fake. Ids are full ARM resource ids; every method takes an
// AbortSignal so that Ctrl-C cancels the wait (cleanup passes a fresh signal).
// Errors are AzureError (src/errors.ts) carrying Azure's code (ResourceNotFound, OperationNotAllowed...).

export interface VmIdentity {
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  location: string;
  /** Availability zone, or undefined for a regional VM. */
  zone?: string;
  /** `/subscriptions/.../virtualMachines/<name>` (no double slash). */
  resourceId: string;
  vmScaleSetName?: string;
}

/** Instance Metadata Service: one request, cached by the caller. */
export interface ImdsPort {
  getInstance(signal?: AbortSignal): Promise<VmIdentity>;
}

export interface Tags { [key: string]: string }

export type DiskCreation =
  | { createOption: 'Empty' }
  | { createOption: 'Copy'; sourceResourceId: string }
  | { createOption: 'FromImage'; imageReferenceId: string }
  | { createOption: 'FromImage'; galleryImageReferenceId: string; lun?: number };

export interface DiskSpec {
  location: string;
  zone?: string;
  sku: string;
  osType?: 'Linux';
  hyperVGeneration?: 'V1' | 'V2';
  diskSizeGB?: number;
  creation: DiskCreation;
  tags?: Tags;
}

export interface DiskInfo {
  id: string;
  location: string;
  sku?: string;
  diskSizeGB?: number;
  hyperVGeneration?: 'V1' | 'V2';
  diskState?: string;
  /** Creating, Updating, Succeeded, Failed... */
  provisioningState?: string;
  managedBy?: string;
  tags?: Tags;
}

export interface SnapshotSpec {
  location: string;
  sourceResourceId: string;
  incremental?: boolean;
  sku?: string;
  tags?: Tags;
}

export interface ImageSpec {
  location: string;
  hyperVGeneration?: 'V1' | 'V2';
  osDisk: { managedDiskId?: string; snapshotId?: string; storageAccountType?: string; caching?: string };
  dataDisks: { lun: number; managedDiskId?: string; snapshotId?: string; storageAccountType?: string; caching?: string }[];
  tags?: Tags;
}

export interface GalleryImageInfo {
  id: string;
  location: string;
  osType?: string;
  osState?: string;
  hyperVGeneration?: 'V1' | 'V2';
  architecture?: string;
  /** The definition's SecurityType feature (TrustedLaunch, TrustedLaunchSupported, ConfidentialVM...), if any. */
  securityType?: string;
}

export interface GalleryVersionInfo {
  id: string;
  name: string;
  location: string;
  targetRegions: string[];
  /** storageProfile.source.id, when the version was made from a managed image or VM. */
  sourceId?: string;
  dataDiskLuns: number[];
  provisioningState?: string;
}

export interface GalleryVersionSpec {
  location: string;
  osSnapshotId: string;
  osHostCaching?: string;
  dataDisks: { lun: number; snapshotId: string; hostCaching?: string }[];
  targetRegions: { name: string; replicas: number; storageAccountType: string }[];
  excludeFromLatest: boolean;
  endOfLifeDate?: string;
  tags?: Tags;
}

export interface PlatformImageRef { location: string; publisher: string; offer: string; sku: string }

export interface DataDiskAttachment { lun: number; diskId: string }

export interface OperationOptions {
  signal?: AbortSignal;
  /** Overall time limit for a long-running operation, ms. */
  timeoutMs?: number;
}

export interface AzurePort {
  disks: {
    get(id: string, o?: OperationOptions): Promise<DiskInfo | undefined>;
    create(id: string, spec: DiskSpec, o?: OperationOptions): Promise<DiskInfo>;
    delete(id: string, o?: OperationOptions): Promise<void>;
  };
  snapshots: {
    create(id: string, spec: SnapshotSpec, o?: OperationOptions): Promise<void>;
    revokeAccess(id: string, o?: OperationOptions): Promise<void>;
    delete(id: string, o?: OperationOptions): Promise<void>;
  };
  images: {
    get(id: string, o?: OperationOptions): Promise<{ id: string } | undefined>;
    create(id: string, spec: ImageSpec, o?: OperationOptions): Promise<void>;
    delete(id: string, o?: OperationOptions): Promise<void>;
  };
  gallery: {
    getImage(imageId: string, o?: OperationOptions): Promise<GalleryImageInfo | undefined>;
    getVersion(versionId: string, o?: OperationOptions): Promise<GalleryVersionInfo | undefined>;
    listVersions(imageId: string, o?: OperationOptions): Promise<GalleryVersionInfo[]>;
    createVersion(versionId: string, spec: GalleryVersionSpec, o?: OperationOptions): Promise<void>;
    deleteVersion(versionId: string, o?: OperationOptions): Promise<void>;
  };
  platformImages: {
    /** Version names, newest first. */
    listVersions(ref: PlatformImageRef, o?: OperationOptions): Promise<string[]>;
    get(ref: PlatformImageRef, version: string, o?: OperationOptions): Promise<{ id: string; hyperVGeneration?: 'V1' | 'V2' } | undefined>;
  };
  vm: {
    /** Data disks currently in the VM model. */
    listDataDisks(vm: VmIdentity, o?: OperationOptions): Promise<DataDiskAttachment[]>;
    /** Attach at `lun` and wait for the operation to finish (attachDetachDataDisks, retrying 409/429). */
    attachDisk(vm: VmIdentity, diskId: string, lun: number, o?: OperationOptions): Promise<void>;
    /** Detach and wait for the operation to finish. No-op when the disk is not attached. */
    detachDisk(vm: VmIdentity, diskId: string, o?: OperationOptions): Promise<void>;
  };
}
