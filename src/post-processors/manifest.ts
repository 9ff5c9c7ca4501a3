// The `manifest` post-processor: appends this build to a JSON manifest in exactly the format of
// Packer 1.6.6 (`builds[]` + `last_run_uuid`), under a `.lock` file like Packer's.

import { statSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { writeFileReplacing } from '../host/private-files.js';
import { basename } from 'node:path';
import { BOOT_LOG_KEY } from '../config/boot-options.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { AzchrootError } from '../errors.js';
import type { ManifestPostProcessor } from '../config/model.js';
import { renderStepTemplate } from '../interpolate/deferred-fields.js';
import { artifactId, type Artifact } from './artifact.js';
import type { PostProcessContext } from './context.js';
import { goMarshalIndent } from './go-json.js';

/** One build entry; key order is the field order of Packer's Go struct. */
export interface ManifestBuild {
  name: string;
  builder_type: string;
  build_time?: number;
  files: { name: string; size: number }[] | null;
  artifact_id: string;
  packer_run_uuid: string;
  custom_data: Record<string, string> | null;
}

export interface ManifestFile {
  builds: ManifestBuild[];
  last_run_uuid: string;
}

/** Builds this run's manifest entry for `artifact`. `files` lists the boot test's console log (null without one); strip_path keeps its base name. */
export function manifestEntry(p: ManifestPostProcessor, artifact: Artifact, ctx: PostProcessContext): ManifestBuild {
  const { build } = ctx;
  const customData = p.customData === undefined ? null : renderCustomData(p.customData, artifact, ctx);
  const seconds = Math.floor((ctx.now?.() ?? new Date()).getTime() / 1000);
  return {
    name: build.sourceName,
    builder_type: build.sourceType,
    ...(p.stripTime ? {} : { build_time: seconds }),
    files: artifactFiles(p, artifact),
    artifact_id: artifactId(artifact),
    packer_run_uuid: ctx.runUuid ?? build.templateContext.runUuid,
    custom_data: customData,
  };
}

/** Appends this build to `p.output` (created when missing), returns the manifest written. */
export async function runManifest(p: ManifestPostProcessor, artifact: Artifact, ctx: PostProcessContext): Promise<ManifestFile> {
  const entry = manifestEntry(p, artifact, ctx);
  const runUuid = ctx.runUuid ?? ctx.build.templateContext.runUuid;
  const release = await lock(p.output, ctx);
  try {
    const existing = await readManifest(p.output);
    // -force starts afresh when the file belongs to another run, like Packer.
    const builds = ctx.force && existing.last_run_uuid !== runUuid ? [] : existing.builds;
    const manifest: ManifestFile = { builds: [...builds.map(normalise), entry], last_run_uuid: runUuid };
    ctx.reporter.say(`Adding build "${entry.name}" to manifest ${p.output}`, 'manifest');
    // A fresh file renamed over the output: a symlink planted there is replaced, never written through.
    writeFileReplacing(p.output, goMarshalIndent(manifest), 0o664);
    return manifest;
  } finally {
    await release();
  }
}

function artifactFiles(p: ManifestPostProcessor, artifact: Artifact): ManifestBuild['files'] {
  const log = artifact.buildData[BOOT_LOG_KEY];
  if (!log) return null;
  let size = 0;
  try {
    size = statSync(log).size;
  } catch {
    // Listed anyway: the build wrote it; a user may have moved it since.
  }
  return [{ name: p.stripPath ? basename(log) : log, size }];
}

function renderCustomData(data: Record<string, string>, artifact: Artifact, ctx: PostProcessContext): Record<string, string> {
  const out: Record<string, string> = {};
  // Go marshals map keys sorted.
  for (const key of Object.keys(data).sort()) {
    out[key] = renderStepTemplate(data[key] ?? '', ctx.build.templateContext, artifact.buildData, artifact.buildData, ctx.vm);
  }
  return out;
}

async function readManifest(path: string): Promise<ManifestFile> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined || text.trim() === '') return { builds: [], last_run_uuid: '' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new AzchrootError('AZC_MANIFEST_PARSE', `unable to parse content from ${path}: ${(err as Error).message}`, 'user', {
      hint: 'fix or delete the manifest file, or choose another "output"',
    });
  }
  const obj = (parsed ?? {}) as Partial<ManifestFile>;
  return { builds: Array.isArray(obj.builds) ? obj.builds : [], last_run_uuid: typeof obj.last_run_uuid === 'string' ? obj.last_run_uuid : '' };
}

/** Re-creates an entry with Packer's field order and fields only, as Go's decode/encode round trip does. */
function normalise(b: Partial<ManifestBuild>): ManifestBuild {
  const files = Array.isArray(b.files) ? b.files.map((f) => ({ name: String(f.name), size: Number(f.size) || 0 })) : null;
  return {
    name: String(b.name ?? ''),
    builder_type: String(b.builder_type ?? ''),
    ...(typeof b.build_time === 'number' && b.build_time !== 0 ? { build_time: b.build_time } : {}),
    files,
    artifact_id: String(b.artifact_id ?? ''),
    packer_run_uuid: String(b.packer_run_uuid ?? ''),
    custom_data: b.custom_data && typeof b.custom_data === 'object' ? sortKeys(b.custom_data) : null,
  };
}

function sortKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(map).sort().map((k) => [k, String(map[k])]));
}

/** Creates `<output>.lock` exclusively (3 tries, as Packer); proceeds with a warning when it cannot. */
async function lock(output: string, ctx: PostProcessContext): Promise<() => Promise<void>> {
  const lockFile = `${output}.lock`;
  for (let i = 0; i < 3; i++) {
    await sleep(i * 200);
    try {
      await (await open(lockFile, 'wx', 0o644)).close();
      return () => rm(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  ctx.reporter.warn(`manifest lock ${lockFile} is held by another process; writing anyway (delete it if it is stale)`, 'manifest');
  return async () => undefined;
}
