// The `file` provisioner: copies files and directories into the chroot, or files out of it,
// with Packer's trailing-slash rules.

import { chmod, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { makeProvisionerTempDir } from './temp-dir.js';
import { basename, join } from 'node:path';
import { AzchrootError } from '../errors.js';
import type { FileProvisioner } from '../config/model.js';
import type { ProvisionerContext } from './context.js';

/** Runs a file provisioner: upload (default) or download. */
export async function runFileProvisioner(p: FileProvisioner, ctx: ProvisionerContext): Promise<void> {
  // source(s), destination and content are rendered now, when build data is known.
  const render = (text: string): string => ctx.render(text, ctx.buildData);
  const destination = render(p.destination);
  const rendered = p.sources.map(render);
  if (p.direction === 'download') return download(rendered, destination, ctx);
  const dir = await makeProvisionerTempDir('file');
  try {
    const sources = [...rendered];
    if (p.content !== undefined) {
      // Like Packer: the content becomes a temp file uploaded like any other source.
      const file = join(dir, 'pkr-file-content');
      await writeFile(file, render(p.content), { mode: 0o644 });
      sources.push(file);
    }
    for (const src of sources) await upload(src, destination, ctx);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Where a file lands: `dst/basename(src)` when dst ends with "/", else dst itself. */
export function uploadTarget(src: string, destination: string): string {
  return destination.endsWith('/') ? destination + basename(src) : destination;
}

/** Where a download lands locally: `dst/basename(src)` when dst ends with "/", else dst itself. */
export function downloadTarget(src: string, destination: string): string {
  return destination.endsWith('/') ? join(destination, basename(src)) : destination;
}

async function upload(src: string, destination: string, ctx: ProvisionerContext): Promise<void> {
  const info = await stat(src).catch(() => undefined);
  if (!info) {
    throw new AzchrootError('AZC_PROVISIONER_FILE', `file provisioner source not found: ${src}`, 'user', {
      hint: 'fix source/sources; with generated = true the file must exist by the time this provisioner runs',
    });
  }
  ctx.reporter.say(`Uploading ${src} => ${destination}`, ctx.step);
  if (info.isDirectory()) {
    // cp -R semantics: "dir/" uploads the contents, "dir" the directory itself.
    await ctx.comm.uploadDir(destination, src, { signal: ctx.signal });
    return;
  }
  await ctx.comm.upload(uploadTarget(src, destination), src, { signal: ctx.signal });
}

async function download(sources: readonly string[], destination: string, ctx: ProvisionerContext): Promise<void> {
  for (const src of sources) {
    if (src.endsWith('/') || /[*?[]/.test(src)) {
      throw new AzchrootError('AZC_PROVISIONER_FILE', `cannot download ${src}: the chroot communicator downloads single files only`, 'user', {
        hint: 'list each file to download in sources, without a trailing "/" or wildcards',
      });
    }
    const target = downloadTarget(src, destination);
    ctx.reporter.say(`Downloading ${src} => ${target}`, ctx.step);
    await mkdir(join(target, '..'), { recursive: true, mode: 0o755 });
    await ctx.comm.download(src, target, { signal: ctx.signal });
    await chmod(target, 0o644);
  }
}
