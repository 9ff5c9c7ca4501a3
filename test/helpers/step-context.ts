// A StepContext over the fake AzurePort, a temp journal and a memory reporter, for step tests.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChrootConfig } from '../../src/config/model.js';
import type { VmIdentity } from '../../src/azure/ports.js';
import { MemoryReporter } from '../../src/report/reporter.js';
import { openJournal } from '../../src/ledger/journal.js';
import { Ledger, type ReleaseReport } from '../../src/ledger/ledger.js';
import type { UndoEnv } from '../../src/ledger/undoers.js';
import { runShell } from '../../src/host/exec.js';
import type { StepContext } from '../../src/steps/types.js';
import { chrootConfig } from './chroot-config.js';
import { createFakeAzure, fakeVm, type FakeAzure } from './fake-azure.js';

export interface TestStepContext extends StepContext {
  azure: FakeAzure;
  reporter: MemoryReporter;
  /** The build's final cleanup: releases everything pending through the ledger. */
  releaseAll(): Promise<ReleaseReport>;
}

/** Builds a context; the temp state directory is removed after the test. */
export function stepContext(t: { after(fn: () => void): void }, overrides: Partial<ChrootConfig> = {}, extra: { vm?: VmIdentity; force?: boolean } = {}): TestStepContext {
  const dir = mkdtempSync(join(tmpdir(), 'azc-step-'));
  const journal = openJournal(dir, 'step-test');
  t.after(() => {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ledger = new Ledger(journal);
  const ctx: TestStepContext = {
    config: chrootConfig(overrides),
    azure: createFakeAzure(),
    vm: extra.vm ?? fakeVm(),
    reporter: new MemoryReporter(),
    signal: new AbortController().signal,
    ledger,
    release: async (kinds, step) => {
      const report = await ledger.release(env(step), { kinds });
      if (report.failed.length > 0) throw report.failed[0]!.error;
    },
    releaseAll: () => ledger.release(env('cleanup')),
    buildId: 'step-test',
    force: extra.force ?? false,
    stateDir: dir,
    devroot: join(dir, 'dev'),
    sysroot: join(dir, 'sys'),
    deviceTimeoutMs: 100,
    runProvisioners: async () => undefined,
  };
  function env(step: string): UndoEnv {
    return {
      azure: ctx.azure, vm: ctx.vm, reporter: ctx.reporter, signal: ctx.signal, stateDir: dir, buildId: 'step-test', step,
      keepAzure: ctx.config.builder.skipCleanup, run: async (c) => void (await runShell(c)),
    };
  }
  return ctx;
}
