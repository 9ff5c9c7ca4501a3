// Typed build state shared by the steps: facts (device, mount path, generation, ids to publish),
// never what exists. What exists is in the ledger (src/ledger/), which alone undoes it.

import type { HyperVGeneration } from '../config/model.js';
import { InternalError } from '../errors.js';

export interface VgRename {
  /** The image's own VG name, restored before detach. */
  orig: string;
  /** The temporary name it was imported under (vgimportclone) because the host has a VG named `orig`. */
  tmp: string;
  /** The image's PVs: the rename back sees only these, since the host's VG still owns the name. */
  pvs: string[];
}

export interface LvmState {
  vg: string;
  rootDevice: string;
  /** Every VG activated (detection may find several); `vg` alone when unset. */
  vgs?: string[];
  /** VGs imported under a temporary name, to rename back after deactivation. */
  renames?: VgRename[];
}

export interface BuildState {
  /** Hyper-V generation of the build: explicit, inferred from the source, or V1. */
  generation?: HyperVGeneration;
  /** Where the generation came from, for messages. */
  generationFrom?: string;
  /** Platform source: the resolved version and the image reference id for disk creation. */
  platformVersion?: string;
  platformImageId?: string;
  /** LUNs of the source gallery version's data disks. */
  sourceDataDiskLuns: number[];
  /** Temporary disks created by this build. */
  osDiskId?: string;
  dataDisks: { lun: number; id: string }[];
  /** LUN the OS disk was attached at. */
  lun?: number;
  device?: string;
  /** The volume group(s) azchroot activated (lvm_root_device or detected) and the LV to mount. */
  lvm?: LvmState;
  mountPath?: string;
  /** Temporary snapshots by LUN (-1 = OS disk). */
  snapshots: { lun: number; id: string }[];
  /** Verified destination ids. */
  galleryVersionId?: string;
  /** -force: an existing gallery version / image to delete right before publishing. */
  replaceGalleryVersion?: boolean;
  replaceImage?: boolean;
  /** Outputs that exist. */
  outputs: string[];
  /** Generated data for provisioners and post-processors (SourceImageName, Device, MountPath). */
  buildData: Record<string, string>;
}

/** A fresh, empty state. */
export function initialState(): BuildState {
  return { sourceDataDiskLuns: [], dataDisks: [], snapshots: [], outputs: [], buildData: {} };
}

type Needed = Exclude<keyof BuildState, 'sourceDataDiskLuns' | 'dataDisks' | 'snapshots' | 'outputs' | 'buildData'>;

/** Reads a state field an earlier step must have set; a missing one is a bug in the plan. */
export function need<K extends Needed>(state: BuildState, key: K, from: string): NonNullable<BuildState[K]> {
  const value = state[key];
  if (value === undefined || value === null) throw new InternalError(`${key} not set; expected from ${from}`);
  return value as NonNullable<BuildState[K]>;
}

/**
 * Records an explicit `image_hyperv_generation` when no step has set the generation yet. A
 * from_scratch build has no source step to do it, so the destination check and the disk creation
 * call this before they fall back to the definition's generation or to V1.
 */
export function takeExplicitGeneration(state: BuildState, explicit: HyperVGeneration | undefined): void {
  if (state.generation || !explicit) return;
  state.generation = explicit;
  state.generationFrom = 'image_hyperv_generation';
}
