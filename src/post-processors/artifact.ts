// The build's artifact: the Azure resources it produced, in Packer's azure-chroot shape
// (BuilderId `azure.chroot`, id = lower-cased sorted resource ids joined with ",").

export interface Artifact {
  builderId: 'azure.chroot';
  /** The managed image and/or gallery image version, as written in the template. */
  resources: string[];
  /** Temporary disks and snapshots left in place by skip_cleanup. */
  kept: string[];
  /** Generated build data (`{{ build `Key` }}`), e.g. SourceImageName. */
  buildData: Record<string, string>;
}

/** Every resource the artifact lists, in creation order: results first, then kept temporaries. */
export function artifactResources(a: Artifact): string[] {
  return [...a.resources, ...a.kept];
}

/** Packer's artifact id: resource ids lower-cased, sorted, joined with ",". */
export function artifactId(a: Artifact): string {
  return artifactResources(a).map((r) => r.toLowerCase()).sort().join(',');
}

/** Packer's artifact text: "Azure resources created:" and one resource per line. */
export function formatArtifact(a: Artifact): string {
  return `Azure resources created:\n${artifactResources(a).map((r) => `${r}\n`).join('')}`;
}
