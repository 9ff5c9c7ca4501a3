// The `shell-local` post-processor: the shell-local engine run on the host after the build,
// with the artifact's build data for templates and its id in AZCHROOT_ARTIFACT_ID.

import type { ShellLocalPostProcessor } from '../config/model.js';
import { createStepRenderer } from '../provisioners/context.js';
import { runShellLocal } from '../provisioners/shell-local.js';
import { artifactId, type Artifact } from './artifact.js';
import type { PostProcessContext } from './context.js';

/** Runs a shell-local post-processor for `artifact`. */
export async function runShellLocalPostProcessor(p: ShellLocalPostProcessor, artifact: Artifact, ctx: PostProcessContext): Promise<void> {
  await runShellLocal(p, {
    build: ctx.build,
    reporter: ctx.reporter,
    step: 'shell-local',
    render: createStepRenderer(ctx.build.templateContext, artifact.buildData, ctx.vm),
    buildData: artifact.buildData,
    signal: ctx.signal,
    extraVars: { AZCHROOT_ARTIFACT_ID: artifactId(artifact) },
  });
}
