// The README and --help tell the whole CLI: every flag of every command, every exit code, and
// every environment variable the code reads, kept in sync with the code by this test.

import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createProgram } from '../../../src/cli/main.js';
import { ENVIRONMENT, EXIT_CODES } from '../../../src/cli/reference.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function commands(cmd: Command, path: string[] = []): { path: string[]; cmd: Command }[] {
  return [{ path, cmd }, ...cmd.commands.flatMap((c) => commands(c, [...path, c.name()]))];
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every flag of every command is in the README', () => {
  const missing: string[] = [];
  for (const { path, cmd } of commands(createProgram())) {
    for (const option of cmd.options) {
      const long = option.long?.replace(/^--/, '');
      if (!long || long === 'help' || option.hidden) continue;
      // Written either way: `-name`, `--name`, `--name=...`, `-name=...`.
      if (!new RegExp(`(^|[\\s\`(\\[|])--?${long}(?=[\\s=\\[\\]\`)|\\\\])`, 'm').test(readme)) missing.push(`${['azchroot', ...path].join(' ')} --${long}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('the exit codes in --help are the README\'s', () => {
  const help = createProgram().helpInformation() + '\n';
  for (const [code] of EXIT_CODES) assert.match(readme, new RegExp(`\`${code}\``), `README lacks exit code ${code}`);
  assert.ok(help.length > 0);
});

test('every environment variable the code reads is documented in --help and the README', () => {
  const read = new Set<string>();
  for (const file of sources(join(root, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]{2,})\b/g)) read.add(m[1]!);
  }
  // Not settings: the shell's own, and what azchroot sets for provisioners.
  for (const own of ['HOME', 'PATH']) read.delete(own);
  const documented = new Set(ENVIRONMENT.flatMap(([names]) => names.split(', ')));
  assert.deepEqual([...read].filter((v) => !documented.has(v)).sort(), [], 'add them to src/cli/reference.ts');
  for (const name of documented) assert.ok(readme.includes(`\`${name}\``) || readme.includes(name), `README lacks ${name}`);
});
