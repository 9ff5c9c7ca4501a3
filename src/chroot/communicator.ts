// How provisioners reach the chroot: commands run as command_wrapper(chroot <mount> /bin/sh -c <cmd>)
// on the host; files are copied into and out of the mounted tree.

export interface RunOptions {
  signal?: AbortSignal;
  /** Extra environment for the host-side process (the chroot inherits it). */
  env?: Record<string, string>;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface Communicator {
  /** Host path of the chroot root. */
  readonly mountPath: string;
  /** Block device of the root filesystem's disk. */
  readonly device: string;
  /** Runs `command` with /bin/sh inside the chroot and returns its exit status (never throws for non-zero). */
  run(command: string, options?: RunOptions): Promise<number>;
  /** Copies a local file to `destination` (a path inside the chroot). */
  upload(destination: string, localFile: string, options?: { signal?: AbortSignal }): Promise<void>;
  /** Copies a local directory (cp -R semantics: a trailing "/" on `localDir` copies its contents). */
  uploadDir(destination: string, localDir: string, options?: { signal?: AbortSignal }): Promise<void>;
  /** Copies `source` (inside the chroot) to a local file. */
  download(source: string, localFile: string, options?: { signal?: AbortSignal }): Promise<void>;
}

/** What the provision step hands to the provisioners: where the chroot is, build data, cancellation. */
export interface ProvisionRunContext {
  mountPath: string;
  device: string;
  buildData: Record<string, string>;
  signal: AbortSignal;
  /** Applies command_wrapper (its `{{.Command}}`) to a host command. */
  wrapCommand(cmd: string): string;
}
