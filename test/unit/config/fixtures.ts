// Test helpers: RawBuild / LoadedTemplate objects built directly, with a fake Origin.

import type { KeyPath, LoadedTemplate, Origin, RawBuild, RawPostProcessor, RawProvisioner } from '../../../src/template/model.js';
import { validateVmLookup } from '../../../src/interpolate/vm-lookup.js';
import type { ResolveOptions } from '../../../src/config/resolve.js';

export const FILE = '/work/t/build.pkr.hcl';

/** An origin whose keys are located on line 10 + (index of the first key in `body`), column 3. */
export function fakeOrigin(path: string, body: Record<string, unknown>): Origin {
  return {
    file: FILE,
    path,
    pos: { file: FILE, line: 1, column: 1 },
    locate(sub: KeyPath) {
      const index = Object.keys(body).indexOf(String(sub[0]));
      return index < 0 ? undefined : { file: FILE, line: 10 + index, column: 3 };
    },
  };
}

export const BASE_BUILDER: Record<string, unknown> = {
  source: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest',
  image_resource_id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/images/img',
};

export function provisioner(type: string, config: Record<string, unknown>, extra: Partial<RawProvisioner> = {}): RawProvisioner {
  return { type, config, origin: fakeOrigin(`build.provisioner[0]`, config), ...extra };
}

export function postProcessor(type: string, config: Record<string, unknown>): RawPostProcessor {
  return { type, config, origin: fakeOrigin(`build.post-processor[0]`, config) };
}

export function rawBuild(builder: Record<string, unknown>, more: Partial<RawBuild> = {}): RawBuild {
  return {
    name: 'azure-chroot.example', sourceType: 'azure-chroot', sourceName: 'example', sourceLabel: 'example',
    builder, builderOrigin: fakeOrigin('source.azure-chroot.example', builder),
    provisioners: [], postProcessors: [], ...more,
  };
}

export function template(builds: RawBuild[], more: Partial<LoadedTemplate> = {}): LoadedTemplate {
  return {
    kind: 'hcl2', files: [FILE], root: '.', templateDir: '/work/t', variables: [], sensitiveValues: [],
    builds, userVars: {}, ...more,
  };
}

export const OPTIONS: ResolveOptions = { vm: validateVmLookup, startTime: 1795300773, runUuid: '6b022b0a-f211-1021-5211-3ef909227b62', cwd: '/tmp', validateOnly: true };
