// Runs post-processor chains after a successful build: chains in order, each chain's members in
// sequence, every member receiving the artifact of the one before.

import { CancelledError } from '../errors.js';
import type { PostProcessorConfig } from '../config/model.js';
import { createRedactingReporter, redactorFor } from '../report/compose.js';
import { redactError } from '../report/redact-error.js';
import type { Artifact } from './artifact.js';
import type { PostProcessContext } from './context.js';
import { runManifest } from './manifest.js';
import { runShellLocalPostProcessor } from './shell-local.js';

/** Runs every chain for `artifact`; returns the final artifact of each chain. */
export async function runPostProcessors(chains: readonly PostProcessorConfig[][], artifact: Artifact, ctx: PostProcessContext): Promise<Artifact[]> {
  const redactor = redactorFor(ctx.build.secrets);
  const reporter = createRedactingReporter(ctx.reporter, redactor);
  const inner: PostProcessContext = { ...ctx, reporter };
  const results: Artifact[] = [];
  for (const chain of chains) {
    let current = artifact;
    for (const pp of chain) {
      if (ctx.signal.aborted) throw new CancelledError();
      reporter.say(`Running post-processor: ${pp.name ?? pp.type}`, pp.type);
      try {
        current = await runOne(pp, current, inner);
      } catch (err) {
        if (ctx.signal.aborted && !(err instanceof CancelledError)) throw new CancelledError(undefined, { cause: err });
        throw redactError(err, redactor);
      }
    }
    results.push(current);
  }
  return results;
}

// Neither manifest nor shell-local changes the artifact, and both keep the input artifact
// (Packer forces keep for them), so keep_input_artifact has nothing to decide here.
async function runOne(pp: PostProcessorConfig, artifact: Artifact, ctx: PostProcessContext): Promise<Artifact> {
  switch (pp.type) {
    case 'manifest':
      await runManifest(pp, artifact, ctx);
      return artifact;
    case 'shell-local':
      await runShellLocalPostProcessor(pp, artifact, ctx);
      return artifact;
  }
}
