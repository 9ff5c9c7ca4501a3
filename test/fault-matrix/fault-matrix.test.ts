// The fault matrix: every ARM operation a build makes × the faults Azure gives, each against a
// real build (azchroot CLI → emulator). Per operation and column one build, with the column's
// faults queued on that operation in order (a 500 once, then 503 three times, then ...), so every
// cell is hit while the matrix stays at about thirty builds (and under 8 minutes on 2 cores):
//   passes       500 once, 503 ×3, 429 with Retry-After, a request never answered (all operations);
//                each code of RETRIABLE_CONFLICT_CODES once (operations that change something);
//                each code of RETRIABLE_OPERATION_CODES as a failed operation once (long-running ones)
//   never passes 409 PropertyChangeNotAllowed (not a concurrency conflict) on a change;
//                500 on every attempt, past the operation's deadline, on a read
// Where Azure would eventually succeed the build must exit 0 with nothing left; where it would
// not, it must exit non-zero with Azure's code in a one-line error (no stack trace) and, after
// `azchroot cleanup`, leave nothing. Exit 0 with anything left fails the cell.
// The retry policy runs at a tiny scale (environment below): Retry-After capped at 100 ms, back-off
// from 20 ms to 100 ms, each request limited to 1 s.

import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { FaultRule } from '../../src/emulator/api.js';
import { RETRIABLE_CONFLICT_CODES, RETRIABLE_OPERATION_CODES } from '../../src/azure/retry-policy.js';
import { runCli, show, type CliResult } from '../e2e-failures/helpers/cli.js';
import { readInImage, withExportedRoot } from '../e2e-failures/helpers/exported.js';
import { skipReason } from '../e2e-failures/helpers/host.js';
import { assertNothingLeft, hostLeftovers, idsOfType, pendingTemporary, temporaryDisksAndSnapshots, vmDataDisks } from '../e2e-failures/helpers/leftovers.js';
import { markRequests } from '../e2e-failures/helpers/request-log.js';
import { addFaults, useSuite, workspace, type Workspace } from '../e2e-failures/helpers/suite.js';
import { ids, nextVersion, shellProvisioner, writeTemplate } from '../e2e-failures/helpers/template.js';

const skip = skipReason();
const suite = useSuite(skip);

const SCALE = {
  AZCHROOT_AZURE_RETRY_DEADLINE_MS: '30000',
  AZCHROOT_AZURE_MAX_RETRY_AFTER_MS: '100',
  AZCHROOT_AZURE_RETRY_BASE_MS: '20',
  AZCHROOT_AZURE_RETRY_MAX_MS: '100',
  AZCHROOT_AZURE_REQUEST_TIMEOUT_MS: '1000',
};
/** For the lasting faults: a deadline that passes fast. */
const SHORT_DEADLINE = { ...SCALE, AZCHROOT_AZURE_RETRY_DEADLINE_MS: '1500' };

interface Operation {
  name: string;
  /** A long-running operation (can end Failed). */
  lro: boolean;
  /** Changes something (a 409 conflict is possible). */
  changes: boolean;
}

/** Every ARM operation a from-scratch build with a managed image and a gallery version makes. */
const OPERATIONS: Operation[] = [
  { name: 'disks.createOrUpdate', lro: true, changes: true },
  { name: 'disks.get', lro: false, changes: false },
  { name: 'disks.delete', lro: true, changes: true },
  { name: 'virtualMachines.get', lro: false, changes: false },
  { name: 'virtualMachines.attachDetachDataDisks', lro: true, changes: true },
  { name: 'snapshots.createOrUpdate', lro: true, changes: true },
  { name: 'snapshots.get', lro: false, changes: false },
  { name: 'snapshots.revokeAccess', lro: true, changes: true },
  { name: 'snapshots.delete', lro: true, changes: true },
  { name: 'images.get', lro: false, changes: false },
  { name: 'images.createOrUpdate', lro: true, changes: true },
  { name: 'galleryImages.get', lro: false, changes: false },
  { name: 'galleryImageVersions.get', lro: false, changes: false },
  { name: 'galleryImageVersions.createOrUpdate', lro: true, changes: true },
];

/** Operations that move the image's data: their cells also check what was published. */
const CARRY_DATA = ['disks.createOrUpdate', 'snapshots.createOrUpdate', 'galleryImageVersions.createOrUpdate'];

interface Column {
  name: string;
  applies(op: Operation): boolean;
  rules(op: string): FaultRule[];
  /** Azure would eventually do it: the build must succeed. */
  succeeds: boolean;
  env: Record<string, string>;
}

/** The faults Azure gives that pass: queued in this order on one operation, each hit once. */
function passingFaults(op: Operation): FaultRule[] {
  const name = op.name;
  return [
    { operation: name, status: 500, code: 'InternalServerError', times: 1 },
    { operation: name, status: 503, code: 'ServiceUnavailable', times: 3 },
    { operation: name, retryAfter: 1, times: 1 },
    { operation: name, hangMs: 20_000, times: 1 },
    ...(op.changes ? RETRIABLE_CONFLICT_CODES.map((code) => ({ operation: name, status: 409, code, message: `Injected ${code}: another operation is in progress.`, times: 1 })) : []),
    // Failed operations come once the requests are accepted again.
    ...(op.lro ? RETRIABLE_OPERATION_CODES.map((code) => ({ operation: name, failLro: true, code, message: `Injected ${code}.`, times: 1 })) : []),
  ];
}

const COLUMNS: Column[] = [
  {
    name: 'every fault that passes (500 once, 503 x3, 429 Retry-After, no answer; each 409 conflict code; each transient failed-operation code)',
    applies: () => true,
    rules: (op) => passingFaults(OPERATIONS.find((o) => o.name === op)!),
    succeeds: true,
    env: SCALE,
  },
  {
    // A change Azure refuses for good fails at once; a read that keeps failing fails at its deadline.
    name: 'a fault that does not pass (409 PropertyChangeNotAllowed on a change, 500 past the deadline on a read)',
    applies: () => true,
    rules: (op) => OPERATIONS.find((o) => o.name === op)!.changes
      ? [{ operation: op, status: 409, code: 'PropertyChangeNotAllowed', message: 'Changing this property is not allowed.', times: 1 }]
      : [{ operation: op, status: 500, code: 'InternalServerError', message: 'The service had an internal error.' }],
    succeeds: false,
    env: SHORT_DEADLINE,
  },
];

/** Operations whose requests are not resource calls of the build. */
const NOT_BUILD_OPERATIONS = /^(imds|entra|operations|subscriptions|admin)\./;

async function build(t: TestContext, rules: FaultRule[], env: Record<string, string>): Promise<{ ws: Workspace; r: CliResult; outputs: string[]; operations: () => Promise<string[]> }> {
  const ws = await workspace(t, suite);
  const version = nextVersion();
  const imageName = `matrix-${version.replace(/\./g, '-')}`;
  const template = await writeTemplate(ws.dir, { mountRoot: ws.mountRoot, imageName, galleryVersion: version, provisioners: shellProvisioner(['echo provisioned > /etc/provisioned']) });
  const requests = await markRequests(suite.state);
  addFaults(suite, rules);
  const r = await runCli(ws.defer, ws.buildArgs(template), env);
  const operations = async () => [...new Set((await requests()).map((e) => e.operation ?? '').filter((o) => o !== '' && !NOT_BUILD_OPERATIONS.test(o)))].sort();
  return { ws, r, outputs: [ids.image(imageName), ids.galleryVersion(version)], operations };
}

async function leftovers(ws: Workspace): Promise<string[]> {
  const host = hostLeftovers(suite, ws);
  return [
    ...(await temporaryDisksAndSnapshots(suite.state)),
    ...(await vmDataDisks(suite.state)).map((d) => `VM data disk ${JSON.stringify(d)}`),
    ...host.loops.map((l) => `loop ${l}`),
    ...host.mounts.map((m) => `mount ${m}`),
    ...pendingTemporary(ws.journalState).map((p) => `journal ${p.kind} ${p.id}`),
  ];
}

async function outputsPresent(outputs: string[]): Promise<boolean[]> {
  const all = [...(await idsOfType(suite.state, 'Microsoft.Compute/images')), ...(await idsOfType(suite.state, 'Microsoft.Compute/galleries/images/versions'))].map((i) => i.toLowerCase());
  return outputs.map((o) => all.includes(o.toLowerCase()));
}

test('the matrix lists exactly the ARM operations a build makes', { skip }, async (t) => {
  const b = await build(t, [], SCALE);
  assert.equal(b.r.code, 0, show(b.r));
  assert.deepEqual(await b.operations(), OPERATIONS.map((o) => o.name).sort());
  await assertNothingLeft(suite, b.ws);
});

for (const column of COLUMNS) {
  for (const op of OPERATIONS.filter((o) => column.applies(o))) {
    test(`${op.name} × ${column.name}`, { skip }, async (t) => {
      const b = await build(t, column.rules(op.name), column.env);
      const left = await leftovers(b.ws);
      if (b.r.code === 0) assert.deepEqual(left, [], `exit 0 with something left:\n${show(b.r)}`);
      if (column.succeeds) {
        assert.equal(b.r.code, 0, show(b.r));
        assert.deepEqual(await outputsPresent(b.outputs), [true, true], 'the managed image and the gallery version are published');
        // Every fault was used: the operation really met them all.
        assert.deepEqual(suite.emulator.listFaults(), [], 'every injected fault was hit');
        if (CARRY_DATA.includes(op.name)) {
          // Issued again after failing, the operation still carried the provisioned data through.
          await withExportedRoot(suite.state, b.outputs[1]!, b.ws.dir, async (root) => {
            assert.equal((await readInImage(root, 'etc/provisioned'))?.trim(), 'provisioned');
          });
        }
        return;
      }
      const fault = column.rules(op.name)[0]!;
      assert.notEqual(b.r.code, 0, show(b.r));
      // The build's error, or (a cleanup call) the line saying what could not be removed, carries Azure's code.
      assert.match(`${b.r.stdout}\n${b.r.stderr}`, new RegExp(`^(Error: |.*could not remove ).*${fault.code}`, 'm'), `Azure's code in the error:\n${show(b.r)}`);
      if (left.length > 0) assert.match(b.r.stderr, /could not remove everything\. Left behind:/, show(b.r));
      assert.doesNotMatch(b.r.stderr, /^\s+at .+\(.+:\d+:\d+\)$/m, 'no stack trace');
      if (left.length > 0) {
        // Reported as left: `azchroot cleanup` removes it once Azure answers again.
        suite.emulator.clearFaults();
        const c = await runCli(b.ws.defer, b.ws.cleanupArgs('--all'), SCALE);
        assert.equal(c.code, 0, show(c));
      }
      await assertNothingLeft(suite, b.ws, `${op.name} × ${column.name}`);
    });
  }
}
