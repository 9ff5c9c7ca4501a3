// Starting and stopping the emulator with a given DiskBackend (index.ts picks the real one;
// tests pass a fake).

import { mkdirSync } from 'node:fs';
import type { Server } from 'node:net';
import type { Endpoints, EmulatorOptions, FaultRule, RunningEmulator } from './api.js';
import type { DiskBackend } from './disk-backend.js';
import { createArmServer } from './arm-server.js';
import { createSerialQueue, type ArmContext } from './arm/context.js';
import { advertisedHost, resolveOptions, type EmulatorTuning, type ListenAddress } from './defaults.js';
import { createFaultRegistry, type FaultRegistry } from './faults.js';
import { AzchrootError } from '../errors.js';
import { createImdsServer } from './imds-server.js';
import { readJson, removeFile, writeJsonAtomic } from './json-files.js';
import { createLatencyModel } from './latency.js';
import { createOperationRegistry } from './operations.js';
import { createRequestLogger } from './request-log.js';
import { createResourceStore } from './resource-store.js';
import { recoverState } from './recover-state.js';
import { seedStarterGallery } from './resources/starter-gallery.js';
import { ensureVm, vmIdOf } from './resources/vm-model.js';
import { layout } from './state-layout.js';
import { ensureTls } from './tls.js';
import { createVariety } from './variety.js';
import { createThrottling } from './arm/throttling.js';
import { sysRoot } from './disks/sys-view.js';
import { createTokenService } from './tokens.js';
import { checkEntries, createDirectory } from './identity/directory.js';
import { githubRequestUrl } from './identity/github-actions.js';
import { loadSigningKeys } from './identity/signing-keys.js';
import { readAttachments } from './disks/attachments-store.js';
import { startUuidLinkService, type UuidLinkService } from './disks/uuid-links.js';

/** State directories served by this process (an endpoints.json with our own pid is stale otherwise). */
const serving = new Set<string>();

/** Endpoints of a live emulator serving `stateDir`: the file exists and its pid is alive. */
export function readEndpoints(stateDir: string): Endpoints | undefined {
  const endpoints = readJson<Endpoints>(layout.endpoints(stateDir));
  if (!endpoints || typeof endpoints.pid !== 'number') return undefined;
  if (endpoints.pid === process.pid) return serving.has(resolveOptions({ stateDir }).stateDir) ? endpoints : undefined;
  try {
    process.kill(endpoints.pid, 0);
    return endpoints;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? endpoints : undefined;
  }
}

function listen(server: Server, at: ListenAddress): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : at.port);
    });
  });
}

function close(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Keep-alive connections of SDK clients would hold close() open.
    server.closeAllConnections?.();
  });
}

/** Starts the emulator on `backend`. Rejects when another live emulator serves the same state directory. */
export async function startEmulatorWith(input: EmulatorOptions & EmulatorTuning, backend: DiskBackend): Promise<RunningEmulator> {
  const options = resolveOptions(input);
  const { stateDir } = options;
  const live = readEndpoints(stateDir);
  if (live) {
    throw new AzchrootError('AZC_EMULATOR_BUSY', `another emulator (pid ${live.pid}) is serving ${stateDir} at ${live.armEndpoint}`, 'user', {
      hint: 'Stop it first, wait for the build that started it to end, or use another state directory (--state, or --emulator DIR for build).',
    });
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  serving.add(stateDir);
  const servers: Server[] = [];
  let links: UuidLinkService | undefined;
  try {
    // Loop devices left behind by a crashed run of this state directory.
    await backend.detachAll();
    const tls = await ensureTls(stateDir);
    // udev's stand-in: by-uuid links of the attached disks' partitions on a rescan request.
    links = await startUuidLinkService(options.devroot, async () => (await readAttachments(stateDir)).map((a) => a.loopDevice));
    const store = createResourceStore(stateDir);
    // Operations and blob copies cut off when a previous emulator on this state died.
    recoverState(stateDir, store);
    // A new state directory (no VM yet) also gets the starter gallery the quickstart publishes to.
    if (!store.get(vmIdOf(options))) seedStarterGallery(store, options);
    ensureVm(store, options);
    const faults = createFaultRegistry(options.faults);
    addFileFaults(faults, layout.faults(stateDir));
    const keys = loadSigningKeys(layout.keysDir(stateDir));
    const tokens = createTokenService(options.tenantId, keys.entra, options.tokenLifetimeSeconds, options.tokenClockSkewSeconds);
    const directory = createDirectory(layout.directory(stateDir));
    directory.add(checkEntries(options.directory));
    const operations = createOperationRegistry();
    const logger = createRequestLogger(stateDir, options.recordTraffic);
    const vmId = vmIdOf(options);
    const variety = createVariety(options.azureMode, options.seed);
    const ctx: ArmContext = {
      options,
      store,
      backend,
      operations,
      faults,
      latency: createLatencyModel(options.latency, options.latencyScale),
      vmQueue: createSerialQueue(),
      vmId,
      vmOps: {},
      variety,
      throttling: createThrottling(variety, options.latency === 'azure' ? options.latencyScale : 0),
    };
    const arm = createArmServer({
      ctx,
      tokens,
      tls,
      logger,
      entra: { tenantId: options.tenantId, tokens, directory, keys },
      admin: { stateDir, faults, store, directory },
    });
    servers.push(arm);
    const imds = createImdsServer({ options, store, tokens, directory, logger, vmId });
    servers.push(imds);
    const armPort = await listen(arm, options.armListen);
    const imdsPort = await listen(imds, options.imdsListen);
    const armBase = `https://${advertisedHost(options.armListen.host)}:${armPort}`;
    const endpoints: Endpoints = {
      armEndpoint: armBase,
      imdsEndpoint: `http://${advertisedHost(options.imdsListen.host)}:${imdsPort}`,
      authorityHost: armBase,
      caCertPath: tls.caCertPath,
      subscriptionId: options.subscriptionId,
      tenantId: options.tenantId,
      resourceGroup: options.resourceGroup,
      vmName: options.vmName,
      location: options.location,
      devroot: options.devroot,
      sysroot: sysRoot(stateDir),
      adminEndpoint: `${armBase}/_emulator`,
      githubTokenRequestUrl: githubRequestUrl(armBase),
      pid: process.pid,
    };
    writeJsonAtomic(layout.endpoints(stateDir), endpoints);
    if (!options.quiet) {
      process.stdout.write(`azchroot emulator ready: ARM ${endpoints.armEndpoint}, IMDS ${endpoints.imdsEndpoint}, state ${stateDir}\n`);
    }
    let stopping: Promise<void> | undefined;
    return {
      endpoints,
      addFaults: (rules) => faults.add(rules),
      clearFaults: () => faults.clear(),
      listFaults: () => faults.list(),
      stop() {
        stopping ??= (async () => {
          try {
            await Promise.all(servers.map((s) => close(s)));
            await operations.drain();
            await backend.detachAll();
            await links?.stop();
          } finally {
            const current = readJson<Endpoints>(layout.endpoints(stateDir));
            if (current?.pid === process.pid && current.armEndpoint === endpoints.armEndpoint) removeFile(layout.endpoints(stateDir));
            serving.delete(stateDir);
          }
        })();
        return stopping;
      },
    };
  } catch (e) {
    await Promise.all(servers.map((s) => close(s)));
    await links?.stop().catch(() => undefined);
    serving.delete(stateDir);
    throw e;
  }
}

/** The fault rules of `<state>/faults.json`, when there is one; a bad file is the user's to fix. */
function addFileFaults(faults: FaultRegistry, file: string): void {
  try {
    const rules = readJson<unknown>(file);
    if (rules === undefined) return;
    if (!Array.isArray(rules)) throw new TypeError('it must hold a JSON array of fault rules');
    faults.add(rules as FaultRule[]);
  } catch (err) {
    throw new AzchrootError('AZC_EMULATOR_FAULTS', `cannot use the fault rules in ${file}: ${(err as Error).message}`, 'user', {
      hint: 'Fix the file or remove it; each rule is an object like {"operation": "disks.create", "status": 503, "times": 1} (README, The Azure emulator).',
      cause: err,
    });
  }
}
