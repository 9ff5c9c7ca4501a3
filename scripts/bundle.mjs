// Build step: bundles the compiled CLI (dist/src) and every runtime dependency into one CommonJS
// file, dist/azchroot.cjs, the script that both the npm package (through bin/azchroot, with a V8
// code cache) and the single executable (scripts/build-sea.mjs) run. The JSON Schemas and their
// precompiled validators are embedded in it; files a dependency reads at run time next to its own
// code become assets (dist/assets/NAME), which the single executable carries as SEA assets.
// Nothing here names our dependencies except the table of such files below: a new pure-JS
// dependency bundles as it is.
// Usage: node scripts/bundle.mjs   (after `npm run build`)

import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');

// Files that dependencies read from their own directory at run time: the source text to replace
// in the dependency and the asset that replaces it.
const RUNTIME_FILES = [
  {
    module: /[\\/]@cdktn[\\/]hcl2json[\\/]build[\\/]bridge\.js$/,
    read: 'fs.readFile((0, path_1.join)(__dirname, "..", "main.wasm.gz"))',
    asset: 'hcl2json.wasm.gz',
    from: 'node_modules/@cdktn/hcl2json/main.wasm.gz',
  },
];

const schemas = [];
for (const kind of readdirSync(join(root, 'schemas'))) {
  for (const file of readdirSync(join(root, 'schemas', kind))) {
    if (file.endsWith('.schema.json')) schemas.push(`${kind}/${file.slice(0, -'.schema.json'.length)}`);
  }
}

const entry = `
globalThis.__azchrootEmbedded = {
  validators: require('./dist/schemas/validators.cjs'),
  schemas: {${schemas.map((k) => `\n    ${JSON.stringify(k)}: require(${JSON.stringify(`./schemas/${k}.schema.json`)}),`).join('')}
  },
};
module.exports = require('./dist/src/cli/main.js');
`;

// import.meta.url of the compiled modules, which all sit at dist/src/<dir>/<file>.js: the bundle
// lives in dist/, so "dist/src/cli/main.js" keeps their relative paths to the package root right.
const banner = `"use strict";
var __azchrootMetaUrl = require("node:url").pathToFileURL(require("node:path").join(__dirname, "src", "cli", "main.js")).href;
function __azchrootAsset(name) {
  try { var sea = require("node:sea"); if (sea.isSea()) return Buffer.from(sea.getAsset(name)); } catch (e) { if (e && e.code !== "ERR_UNKNOWN_BUILTIN_MODULE") throw e; }
  return require("node:fs").readFileSync(require("node:path").join(__dirname, "assets", name));
}`;

const runtimeFiles = {
  name: 'runtime-files',
  setup(b) {
    for (const f of RUNTIME_FILES) {
      b.onLoad({ filter: f.module }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes(f.read)) throw new Error(`${args.path} no longer reads ${f.asset} as scripts/bundle.mjs expects`);
        return { contents: text.replace(f.read, `Promise.resolve(__azchrootAsset(${JSON.stringify(f.asset)}))`), loader: 'js' };
      });
    }
  },
};

const result = await build({
  stdin: { contents: entry, resolveDir: root, sourcefile: 'azchroot-entry.cjs', loader: 'js' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: join(dist, 'azchroot.cjs'),
  banner: { js: banner },
  // Required only where the global of the same name is missing, which Node 20 always has.
  external: ['performance'],
  define: { 'import.meta.url': '__azchrootMetaUrl' },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [runtimeFiles],
  metafile: true,
});

// Only the files of dependencies that are in the bundle: the HCL parser on the hot path is our
// own, so @cdktn/hcl2json (the test oracle) is not, nor its WebAssembly.
rmSync(join(dist, 'assets'), { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });
const bundled = Object.keys(result.metafile.inputs);
for (const f of RUNTIME_FILES) {
  if (bundled.some((input) => f.module.test(input))) copyFileSync(join(root, f.from), join(dist, 'assets', f.asset));
}
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`bundled ${Object.keys(result.metafile.inputs).length} modules into dist/azchroot.cjs (${(bytes / 1e6).toFixed(1)} MB)`);

// The V8 code cache bin/azchroot loads with the bundle: written after validating an example, so
// that it holds the functions a run compiles, not only the top level.
const { spawnSync } = await import('node:child_process');
const cache = join(dist, 'azchroot.cache');
rmSync(cache, { force: true });
const train = spawnSync(process.execPath, [join(root, 'bin', 'azchroot'), 'validate', join(root, 'examples', 'quickstart.pkr.hcl')], {
  env: { ...process.env, AZCHROOT_WRITE_CODE_CACHE: cache, AZCHROOT_CACHE_DIR: 'off' },
  encoding: 'utf8',
});
if (train.status !== 0) throw new Error(`the bundle failed to validate the quickstart example:\n${train.stdout}${train.stderr}`);
console.log(`wrote dist/azchroot.cache (${(readFileSync(cache).length / 1e6).toFixed(1)} MB)`);
