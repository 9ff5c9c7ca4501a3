// Build step: the single executable dist/azchroot-linux-x64, a copy of this Node.js binary with the
// bundle (dist/azchroot.cjs, from scripts/bundle.mjs) injected as a Node single executable
// application, with its V8 code cache and the files the bundle reads (dist/assets/*) as SEA assets.
// It needs no Node.js, npm or node_modules on the machine it runs on.
// Usage: node scripts/build-sea.mjs   (after `npm run build:bundle`; `npm run build:sea` does both)

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const work = join(dist, 'sea');
const output = join(dist, 'azchroot-linux-x64');
if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`build:sea makes a linux-x64 executable and must run on one (this is ${process.platform}-${process.arch})`);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12)) throw new Error(`build:sea needs Node.js 20.12 or later for SEA assets (this is ${process.version})`);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
// The executable's main script is a small loader: like bin/azchroot, it picks the light or the
// full bundle from the command line and compiles it with its V8 code cache, both SEA assets. (The
// caches come from this same Node.js binary, so V8 accepts them.) The require() a SEA gives its
// main script loads built-in modules only and warns on any other name: an optional dependency
// that a bundled package tries (and catches) gets Node's usual MODULE_NOT_FOUND instead, silently,
// as where that package is not installed.
const main = join(work, 'main.cjs');
writeFileSync(main, `'use strict';
const sea = require('node:sea');
const { isBuiltin, wrap } = require('node:module');
const { Script } = require('node:vm');
const { dirname } = require('node:path');
const requireBuiltin = require;
const requireBuiltinsOnly = (id) => {
  if (isBuiltin(id)) return requireBuiltin(id);
  throw Object.assign(new Error("Cannot find module '" + id + "'"), { code: 'MODULE_NOT_FOUND' });
};
// The same choice as bin/azchroot's LIGHT_COMMANDS.
const LIGHT_COMMANDS = ['validate', 'inspect', 'version', 'help'];
const command = process.argv.slice(2).find((a) => !a.startsWith('-'));
const name = command === undefined || LIGHT_COMMANDS.includes(command) ? 'azchroot-light' : 'azchroot';
const script = new Script(
  wrap(sea.getAsset(name + '.cjs', 'utf8')),
  { filename: name + '.cjs', cachedData: Buffer.from(sea.getAsset(name + '.cache')) },
);
if (process.env.AZCHROOT_DEBUG_CODE_CACHE === '1') process.stderr.write('code cache ' + (script.cachedDataRejected ? 'rejected' : 'accepted') + '\\n');
const bundled = { exports: {} };
script.runInThisContext()(bundled.exports, requireBuiltinsOnly, bundled, process.execPath, dirname(process.execPath));
bundled.exports.run(process.argv);
`);
const assets = Object.fromEntries(readdirSync(join(dist, 'assets')).map((name) => [name, join(dist, 'assets', name)]));
for (const name of ['azchroot', 'azchroot-light']) {
  for (const ext of ['cjs', 'cache']) assets[`${name}.${ext}`] = join(dist, `${name}.${ext}`);
}
const blob = join(work, 'azchroot.blob');
writeFileSync(join(work, 'sea-config.json'), JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, assets }, null, 2));
const made = spawnSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: 'inherit' });
if (made.status !== 0) process.exit(made.status ?? 1);

rmSync(output, { force: true });
copyFileSync(process.execPath, output);
chmodSync(output, 0o755);
const { inject } = createRequire(import.meta.url)('postject');
await inject(output, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2' });
rmSync(work, { recursive: true, force: true });

const check = spawnSync(output, ['version'], { encoding: 'utf8' });
if (check.status !== 0) throw new Error(`the single executable does not run:\n${check.stdout}${check.stderr}`);
console.log(`wrote dist/azchroot-linux-x64 (${(readFileSync(output).length / 1e6).toFixed(0)} MB, Node ${process.version}): ${check.stdout.trim()}`);
