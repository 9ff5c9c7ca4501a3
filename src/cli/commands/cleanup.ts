// `azchroot cleanup`: remove what an interrupted or killed build left behind, from the build journal.
// Azure is reached with the emulator (--emulator), a service principal from ARM_* variables, or the
// VM's managed identity; host-only leftovers (mounts, loop links) need no Azure access at all.

import type { AuthConfig } from '../../config/model.js';
import type { Reporter } from '../../report/reporter.js';
import { Redactor } from '../../report/reporter.js';
import { createPlainReporter } from '../../report/plain-reporter.js';
import { renderError } from '../render-error.js';
import { DEFAULT_EMULATOR_STATE } from './build.js';
import { UsageError } from '../../errors.js';
import { journalDir, listJournals, resolveBuildId, pendingResources, readJournal, startDetail } from '../../ledger/journal.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface CleanupFlags {
  buildId?: string;
  all?: boolean;
  emulator?: string | boolean;
  stateDir: string;
  debug?: boolean;
}

/** Returns the exit code: 0 when everything pending was removed, 1 otherwise. */
export async function cleanupCommand(flags: CleanupFlags): Promise<number> {
  const redactor = new Redactor();
  const reporter = createPlainReporter({ redactor, debug: Boolean(flags.debug) });
  const { cleanupLeftovers } = await import('../../runner/cleanup-command.js');
  const asked = flags.emulator === undefined || flags.emulator === false ? undefined : flags.emulator === true || flags.emulator === '' ? DEFAULT_EMULATOR_STATE : flags.emulator;
  let stopEmulator = async () => {};
  try {
    // A build that ran against the emulator is cleaned up against the same emulator, never Azure.
    const emulatorState = asked ?? journaledEmulator(flags, reporter);
    const auth = authFromEnvironment(process.env);
    redactor.add(auth.clientSecret);
    let endpoints;
    if (emulatorState) {
      const { readEndpoints, startEmulator } = await import('../../emulator/index.js');
      endpoints = readEndpoints(emulatorState);
      if (!endpoints) {
        const emulator = await startEmulator({ stateDir: emulatorState, quiet: true });
        endpoints = emulator.endpoints;
        stopEmulator = () => emulator.stop();
      }
    }
    const azure = await connectQuietly(auth, endpoints, reporter);
    const result = await cleanupLeftovers({ ...azure, stateDir: flags.stateDir, buildId: flags.buildId, all: flags.all, reporter, devroot: endpoints?.devroot });
    // cleanupLeftovers already said "removed ..." for each item as it went.
    for (const f of result.failed) reporter.error(`could not remove ${f}`);
    if (result.removed.length === 0 && result.failed.length === 0) reporter.say('nothing to clean up');
    return result.failed.length === 0 ? 0 : 1;
  } catch (error) {
    return renderError(error, { debug: Boolean(flags.debug), write: (t) => process.stderr.write(t), redact: (t) => redactor.redact(t) });
  } finally {
    await stopEmulator();
  }
}

/** The emulator the selected builds ran against, from their journals; undefined for Azure builds. */
function journaledEmulator(flags: CleanupFlags, reporter: Reporter): string | undefined {
  const ids = flags.buildId ? [resolveBuildId(flags.stateDir, flags.buildId)] : flags.all ? listJournals(flags.stateDir) : [];
  const dirs = new Set<string>();
  let azureBuilds = 0;
  for (const id of ids) {
    const path = join(journalDir(flags.stateDir), `${id}.jsonl`);
    if (!existsSync(path)) continue;
    const entries = readJournal(path);
    if (pendingResources(entries).length === 0) continue;
    const emulator = startDetail(entries)?.emulator;
    if (typeof emulator === 'string') dirs.add(emulator);
    else azureBuilds += 1;
  }
  if (dirs.size === 0) return undefined;
  if (dirs.size > 1 || azureBuilds > 0) {
    throw new UsageError('the builds to clean up ran against different emulators or against Azure', {
      hint: 'clean them up one at a time: azchroot cleanup --build-id ID (the emulator is taken from its journal)',
    });
  }
  const [dir] = [...dirs];
  reporter.say(`the build ran against the local emulator in ${dir}: cleaning up there`);
  return dir;
}

/** Connects to Azure if possible; host-only cleanup still works when it is not. */
async function connectQuietly(auth: AuthConfig, endpoints: import('../../emulator/api.js').Endpoints | undefined, reporter: Reporter) {
  try {
    const { connectAzure } = await import('../../azure/connect.js');
    const c = await connectAzure({ auth, emulator: endpoints, reporter, signal: new AbortController().signal });
    return { azure: c.azure, vm: c.vm };
  } catch (error) {
    reporter.warn(`cannot reach Azure (${(error as Error).message}); only host leftovers (mounts, device links) will be removed`);
    return {};
  }
}

/** Service principal settings from ARM_CLIENT_ID/ARM_CLIENT_SECRET/ARM_TENANT_ID/ARM_SUBSCRIPTION_ID, else managed identity. */
export function authFromEnvironment(env: NodeJS.ProcessEnv): AuthConfig {
  return {
    cloudEnvironmentName: env.ARM_CLOUD ?? 'Public',
    clientId: env.ARM_CLIENT_ID || undefined,
    clientSecret: env.ARM_CLIENT_SECRET || undefined,
    tenantId: env.ARM_TENANT_ID || undefined,
    subscriptionId: env.ARM_SUBSCRIPTION_ID || undefined,
    useAzureCliAuth: false,
  };
}
