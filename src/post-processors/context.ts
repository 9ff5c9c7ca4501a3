// What every post-processor gets besides the artifact.

import type { BuildConfig } from '../config/model.js';
import type { VmLookup } from '../interpolate/vm-lookup.js';
import type { Reporter } from '../report/reporter.js';

export interface PostProcessContext {
  build: BuildConfig;
  reporter: Reporter;
  vm: VmLookup;
  signal: AbortSignal;
  /** `build -force`: a manifest written by another run is started afresh. */
  force?: boolean;
  /** This run's id (PACKER_RUN_UUID); defaults to build.templateContext.runUuid. */
  runUuid?: string;
  /** Clock for `build_time` (tests pin it). */
  now?: () => Date;
}
