// Programmatic build: template → configs → (emulator) → Azure connection → runBuild per build →
// post-processors → artifacts. The CLI's `build` command is a thin layer over this.
// Heavy modules (Azure SDK, listr2, the emulator) are imported here, never by validate/inspect.

import { createHash, randomUUID } from 'node:crypto';
import { hasErrors, type Diagnostic } from './diagnostics.js';
import { AzchrootError, TemplateError } from './errors.js';
import { validateLoaded } from './validate.js';
import type { Endpoints } from './emulator/api.js';
import type { VmIdentity } from './azure/ports.js';
import type { BuildConfig } from './config/model.js';
import type { OnErrorMode } from './runner/run-build.js';
import type { LoadOptions } from './template/model.js';
import { reporterForBuild, type Reporter } from './report/reporter.js';
import { vmLookupFor, type VmLookup } from './interpolate/vm-lookup.js';
import { loadTemplate } from './template/load.js';
import { resolveBuild } from './config/resolve.js';

export interface BuildOptions extends LoadOptions {
  reporter: Reporter;
  /** Registers strings to mask in every output (called as soon as they are known). */
  addSecrets(values: string[]): void;
  signal: AbortSignal;
  view: 'tty' | 'plain' | 'json';
  onError: OnErrorMode;
  /** For -on-error=ask: asks the user; returns the answer. */
  ask?(question: string): Promise<string>;
  /** Packer's -debug: waits (for Enter) before each step. */
  pauseBeforeStep?(message: string): Promise<unknown>;
  /** How many builds run at once; 0 or unset: all (Packer's -parallel-builds). */
  parallelBuilds?: number;
  /** Called as each build ends, with its wall time and, when it failed, its error. */
  onBuildEnd?(end: { name: string; ms: number; error?: unknown }): void;
  force: boolean;
  /** Journal and lock directory. */
  stateDir: string;
  /** Build against the local emulator in this state directory (started in-process unless one is serving it). */
  emulatorStateDir?: string;
  /** Called once the emulator is known, so the CLI can name it on a second Ctrl-C. */
  onEmulator?(endpoints: Endpoints): void;
}

export interface BuildOutcome {
  name: string;
  artifactText: string;
  resources: string[];
  kept: string[];
  timings: { step: string; ms: number }[];
  /** The build's cleanup could not remove everything: what is left and how to remove it (the build failed). */
  leftovers?: string[];
  /** Post-processor chains that ran: Packer lists the artifact once more for each (they all keep it). */
  postProcessorChains: number;
}

/** Some builds of a template failed; every build ran to its end. Exit code 1. */
export class BuildsFailedError extends AzchrootError {
  constructor(
    readonly failures: readonly { name: string; error: unknown }[],
    /** The builds that succeeded, for their artifacts. */
    readonly outcomes: readonly BuildOutcome[],
    total: number,
  ) {
    super('AZC_BUILDS_FAILED', `${failures.length} of ${total} builds failed: ${failures.map((f) => f.name).join(', ')}`, 'user');
  }
}

/**
 * Builds every build of the template, `parallelBuilds` at a time (0 or unset: all at once), as
 * Packer does: each build runs to its end whatever the others do. With one build its error is
 * thrown; with several, a BuildsFailedError names each failed one and carries the others' outcomes.
 */
export async function build(path: string, options: BuildOptions): Promise<BuildOutcome[]> {
  const loaded = await loadTemplate(path, options);
  const warnings: Diagnostic[] = loaded.diagnostics.filter((d) => d.severity === 'warning');
  // The same findings as `validate`, before anything is asked of the host, IMDS or Azure: every
  // problem at once (placeholders stand in for `vm`; the real values are checked again below).
  const checked = validateLoaded(loaded, path, options);
  if (!loaded.template || hasErrors(checked)) throw new TemplateError(checked);
  const template = loaded.template;
  options.addSecrets(template.sensitiveValues);
  if (template.builds.length === 0) throw new TemplateError([{ severity: 'error', code: 'AZC_NO_BUILDS', summary: 'no build to run', detail: 'check -only/-except and the build blocks' }]);

  const { checkPlatformAndRoot } = await import('./steps/preflight.js');
  checkPlatformAndRoot();
  const emulator = options.emulatorStateDir ? await useEmulator(options.emulatorStateDir, options.reporter) : undefined;
  try {
    if (emulator) options.onEmulator?.(emulator.endpoints);
    const { createImdsClient } = await import('./azure/imds.js');
    const imds = createImdsClient(emulator?.endpoints.imdsEndpoint);
    const vm = await imds.getInstance(options.signal);
    const lookup = vmLookupFor(vm);
    const startTime = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const runUuid = randomUUID();

    const configs: BuildConfig[] = [];
    const diagnostics: Diagnostic[] = [...warnings];
    for (const raw of template.builds) {
      const resolved = resolveBuild(raw, template, { vm: lookup, startTime, runUuid, cwd: options.cwd ?? process.cwd() });
      diagnostics.push(...resolved.diagnostics);
      if (resolved.config) configs.push(resolved.config);
    }
    if (hasErrors(diagnostics)) throw new TemplateError(diagnostics);
    for (const d of diagnostics) options.reporter.warn(`${d.path ? `${d.path}: ` : ''}${d.summary}${d.detail ? ` (${d.detail})` : ''}`);

    for (const config of configs) options.addSecrets(config.secrets);
    const several = configs.length > 1;
    const limit = options.parallelBuilds && options.parallelBuilds > 0 ? options.parallelBuilds : configs.length;
    // Concurrent builds cannot share one task view: their lines are printed, each with its build's name.
    const view = several && limit > 1 && options.view === 'tty' ? 'plain' : options.view;
    const settled = await runPool(configs, limit, async (config) => {
      const reporter = several || options.view === 'json' ? reporterForBuild(options.reporter, config.name) : options.reporter;
      const started = performance.now();
      try {
        const outcome = await buildOne(config, vm, lookup, runUuid, emulator?.endpoints, { ...options, reporter, view });
        options.onBuildEnd?.({ name: config.name, ms: performance.now() - started });
        return outcome;
      } catch (error) {
        options.onBuildEnd?.({ name: config.name, ms: performance.now() - started, error });
        throw error;
      }
    });
    const outcomes = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failures = settled.flatMap((r, i) => (r.status === 'rejected' ? [{ name: configs[i]!.name, error: r.reason as unknown }] : []));
    if (failures.length === 0) return outcomes;
    // One build: its error as it is. Several: every build ran to its end; say which failed.
    if (!several) throw failures[0]!.error;
    throw new BuildsFailedError(failures, outcomes, configs.length);
  } finally {
    await emulator?.stop();
  }
}

async function buildOne(config: BuildConfig, vm: VmIdentity, lookup: VmLookup, runUuid: string, endpoints: Endpoints | undefined, options: BuildOptions): Promise<BuildOutcome> {
  const { connectAzure } = await import('./azure/connect.js');
  const { recordCleanupResult, runBuild } = await import('./runner/run-build.js');
  const { createProvisionerRunner } = await import('./provisioners/run-provisioners.js');
  const { runPostProcessors } = await import('./post-processors/run-post-processors.js');
  const { formatArtifact } = await import('./post-processors/artifact.js');

  const connection = await connectAzure({ auth: config.builder.auth, emulator: endpoints, vm, reporter: options.reporter, signal: options.signal });
  options.reporter.say(`using ${connection.identity} on VM ${vm.name} (${vm.location})`);
  // Unique per build of the run (two builds may share a source), stable for the same run and name.
  const buildId = `${config.sourceName}-${createHash('sha256').update(`${runUuid}\n${config.name}`).digest('hex').slice(0, 8)}`;
  const result = await runBuild(config, {
    azure: connection.azure,
    vm,
    reporter: options.reporter,
    signal: options.signal,
    view: options.view,
    onError: options.onError,
    force: options.force,
    stateDir: options.stateDir,
    devroot: endpoints?.devroot,
    emulatorStateDir: options.emulatorStateDir,
    buildId,
    deviceTimeoutMs: deviceTimeoutFromEnv(process.env, options.reporter),
    runProvisioners: createProvisionerRunner(config, { reporter: options.reporter, vm: lookup }),
    ...(config.errorCleanupProvisioner
      ? { runErrorCleanupProvisioner: createProvisionerRunner({ ...config, provisioners: [config.errorCleanupProvisioner] }, { reporter: options.reporter, vm: lookup }) }
      : {}),
    ...(options.ask ? { ask: options.ask } : {}),
    ...(options.pauseBeforeStep ? { pauseBeforeStep: options.pauseBeforeStep } : {}),
  });
  const artifact = { builderId: 'azure.chroot' as const, resources: result.artifact.resources, kept: result.artifact.kept, buildData: result.buildData };
  try {
    await runPostProcessors(config.postProcessors, artifact, { build: config, reporter: options.reporter, signal: options.signal, vm: lookup, runUuid, force: options.force });
  } catch (error) {
    // The build's cleanup already ran: what it could not remove belongs to this failure's report.
    recordCleanupResult(error, result.cleanupErrors ?? [], result.leftovers ?? []);
    throw error;
  }
  return {
    name: config.name, artifactText: formatArtifact(artifact), resources: artifact.resources, kept: artifact.kept, timings: result.timings,
    postProcessorChains: config.postProcessors.length, ...(result.leftovers ? { leftovers: result.leftovers } : {}),
  };
}

/** AZCHROOT_DEVICE_TIMEOUT_MS: how long to wait for the attached disk's device (default: the runner's 180 s). */
export function deviceTimeoutFromEnv(env: NodeJS.ProcessEnv, reporter?: Reporter): number | undefined {
  const raw = env.AZCHROOT_DEVICE_TIMEOUT_MS;
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (Number.isInteger(ms) && ms > 0) return ms;
  reporter?.warn(`ignoring AZCHROOT_DEVICE_TIMEOUT_MS=${JSON.stringify(raw)}: it must be a positive whole number of milliseconds; using the default`);
  return undefined;
}

/** Uses the emulator serving `stateDir`, or starts one in this process (stopped when the build ends). */
async function useEmulator(stateDir: string, reporter: Reporter): Promise<{ endpoints: Endpoints; stop(): Promise<void> }> {
  const { readEndpoints, startEmulator } = await import('./emulator/index.js');
  const running = readEndpoints(stateDir);
  if (running) {
    reporter.say(`using the emulator serving ${stateDir} (pid ${running.pid})`);
    return { endpoints: running, stop: async () => {} };
  }
  const emulator = await startEmulator({ stateDir, quiet: true });
  reporter.say(`started the local Azure emulator (state ${stateDir})`);
  return { endpoints: emulator.endpoints, stop: () => emulator.stop() };
}

/** Runs `fn` on every item, at most `limit` at a time, in order of the items; never rejects. */
async function runPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await fn(items[i]!) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
