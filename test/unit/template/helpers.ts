// Shared helpers of the template loader tests: inline templates in temp dirs, fixture paths.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../../src/diagnostics.js';
import { loadTemplate } from '../../../src/template/load.js';
import type { LoadOptions, LoadResult } from '../../../src/template/model.js';

/** test/fixtures/templates in the source tree (tests run from dist/). */
export const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/templates/', import.meta.url));

/** Writes `files` into a fresh temp dir, loads `entry` with cwd = that dir, removes the dir. */
export async function loadInline(files: Record<string, string | Buffer>, entry: string, options: LoadOptions = {}): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'azc-tpl-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), content);
    }
    return await loadTemplate(entry, { env: {}, now: new Date('2020-01-02T03:04:05Z'), ...options, cwd: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Loads a fixture (file or directory under test/fixtures/templates) with cwd = the fixtures root. */
export async function loadFixture(entry: string, options: LoadOptions = {}): Promise<LoadResult> {
  return loadTemplate(entry, { env: {}, now: new Date('2020-01-02T03:04:05Z'), ...options, cwd: FIXTURES });
}

/** Diagnostics as compact `severity code line path` strings, for exact comparisons. */
export function brief(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.severity} ${d.code} ${d.pos ? `${d.pos.line}:${d.pos.column}` : '-'} ${d.path ?? '-'}`);
}

/** Only the errors. */
export function errors(result: LoadResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === 'error');
}
