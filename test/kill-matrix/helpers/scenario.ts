// One kill-matrix scenario end to end: start a build, wait for the event (a step starting, an ARM
// request answered), deliver the signal the way a user or the system would, wait for the build to
// end, run `azchroot cleanup` when the build could not (SIGKILL), then count every kind of leftover.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { countLeftovers, describeLeftovers, totalLeftovers } from './leftovers.js';
import { buildArgs, cleanupArgs, requestMark, runCli, whenRequest, whenStepStarts, workspace, type CliRun, type MatrixSuite, type View, type Workspace } from './matrix.js';
import { writeMatrixTemplate, type StepId } from './template.js';

export type Signal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export type Point = { step: StepId } | { operation: string; nth: number };

function describePoint(p: Point): string {
  return 'step' in p ? `step ${p.step}` : `the ${p.nth}. ${p.operation} answer`;
}

async function reach(suite: MatrixSuite, ws: Workspace, cli: CliRun, at: Point, mark: number): Promise<void> {
  try {
    if ('step' in at) await whenStepStarts(ws, at.step, cli.done);
    else await whenRequest(suite.state, mark, at.operation, at.nth, cli.done);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${show(cli.output())}`);
  }
}

function show(output: string): string {
  return `--- output\n${output.slice(-6000)}`;
}

/** Asserts that nothing of any kind is left by the workspace's builds. */
export async function assertNothingLeft(suite: MatrixSuite, ws: Workspace, context: string, state = suite.state): Promise<void> {
  const left = await countLeftovers(state, ws);
  assert.equal(totalLeftovers(left), 0, `leftovers after ${context}:\n${describeLeftovers(left)}`);
}

async function withWorkspace(suite: MatrixSuite, name: string, body: (ws: Workspace) => Promise<void>): Promise<void> {
  const ws = await workspace(suite, name);
  try {
    await body(ws);
  } finally {
    // Lets a provisioner still waiting at its gate (SIGKILL leaves it running) end, then the safety net.
    await writeFile(join(ws.dir, 'go'), '').catch(() => undefined);
    await ws.dispose();
  }
}

/**
 * SIGINT (Ctrl-C typed on the terminal in the terminal view), SIGTERM or SIGHUP once at `at`: the
 * build stops, runs every cleanup, exits 1 saying so, and leaves nothing, with no cleanup command.
 */
export async function signalScenario(suite: MatrixSuite, view: View, signal: Signal, at: Point): Promise<void> {
  await withWorkspace(suite, `${view}-${signal}`, async (ws) => {
    const hold = 'step' in at && at.step === 'provision';
    const template = await writeMatrixTemplate(ws.dir, ws.mountRoot, `km-${view}-${signal}`.toLowerCase(), hold);
    const mark = await requestMark(suite.state);
    const cli = runCli(buildArgs(suite, ws, view, template), view);
    await reach(suite, ws, cli, at, mark);
    if (view === 'tty' && signal === 'SIGINT') cli.ctrlC();
    else process.kill(cli.pid(), signal);
    const r = await cli.done;
    const context = `${signal} at ${describePoint(at)} (${view} view)`;
    assert.equal(r.code, 1, `${context}: exit status\n${show(r.output)}`);
    assert.match(r.output, new RegExp(`${signal} received: stopping the running step, then cleaning up`), `${context}\n${show(r.output)}`);
    assert.match(r.output, /the build was interrupted; every cleanup has run/, `${context}\n${show(r.output)}`);
    await assertNothingLeft(suite, ws, context);
  });
}

/** SIGKILL at `at`: nothing can run in the build; `azchroot cleanup --all` removes everything. */
export async function killScenario(suite: MatrixSuite, at: Point): Promise<void> {
  await withWorkspace(suite, 'sigkill', async (ws) => {
    const hold = 'step' in at && at.step === 'provision';
    const template = await writeMatrixTemplate(ws.dir, ws.mountRoot, 'km-kill', hold);
    const mark = await requestMark(suite.state);
    const cli = runCli(buildArgs(suite, ws, 'plain', template));
    await reach(suite, ws, cli, at, mark);
    process.kill(cli.pid(), 'SIGKILL');
    const r = await cli.done;
    const context = `SIGKILL at ${describePoint(at)}`;
    assert.equal(r.signal, 'SIGKILL', `${context}\n${show(r.output)}`);
    const c = await runCli(cleanupArgs(ws)).done;
    assert.equal(c.code, 0, `${context}: azchroot cleanup\n${show(c.output)}`);
    await assertNothingLeft(suite, ws, context);
  });
}

export { withWorkspace };
