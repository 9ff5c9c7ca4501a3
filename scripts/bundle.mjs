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

// The commands `validate`, `inspect`, `version` and `--help` run from a second, light bundle
// (dist/azchroot-light.cjs) in which the CLI's other command handlers are left out: they bring the
// Azure SDK, the emulator and the runner, most of the code, which those commands never run but
// would pay to load. bin/azchroot picks the bundle from the command line (see LIGHT_COMMANDS there).
const LIGHT_HANDLERS = ['./commands/validate.js', './commands/inspect.js'];
const leaveOutHeavyCommands = {
  name: 'leave-out-heavy-commands',
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\// }, (args) => {
      if (args.kind !== 'dynamic-import' || !/[\\/]cli[\\/]main\.js$/.test(args.importer) || LIGHT_HANDLERS.includes(args.path)) return undefined;
      return { path: args.path, namespace: 'left-out' };
    });
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not in the light bundle: bin/azchroot runs this command from dist/azchroot.cjs`)});`,
      loader: 'js',
    }));
  },
};

const common = {
  stdin: { contents: entry, resolveDir: root, sourcefile: 'azchroot-entry.cjs', loader: 'js' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  banner: { js: banner },
  // Required only where the global of the same name is missing, which Node 20 always has.
  external: ['performance'],
  define: { 'import.meta.url': '__azchrootMetaUrl' },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};
const result = await build({ ...common, outfile: join(dist, 'azchroot.cjs'), plugins: [runtimeFiles] });
const light = await build({ ...common, outfile: join(dist, 'azchroot-light.cjs'), plugins: [runtimeFiles, leaveOutHeavyCommands] });

// Only the files of dependencies that are in the bundle: the HCL parser on the hot path is our
// own, so @cdktn/hcl2json (the test oracle) is not, nor its WebAssembly.
rmSync(join(dist, 'assets'), { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });
const bundled = Object.keys(result.metafile.inputs);
for (const f of RUNTIME_FILES) {
  if (bundled.some((input) => f.module.test(input))) copyFileSync(join(root, f.from), join(dist, 'assets', f.asset));
}
for (const [name, r] of [['azchroot.cjs', result], ['azchroot-light.cjs', light]]) {
  const bytes = Object.values(r.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(`bundled ${Object.keys(r.metafile.inputs).length} modules into dist/${name} (${(bytes / 1e6).toFixed(1)} MB)`);
}

// The V8 code caches bin/azchroot loads with each bundle: written after validating an example (in
// the full bundle too: a build cannot run here), so that they hold the functions a run compiles,
// not only the top level.
const { spawnSync } = await import('node:child_process');
for (const name of ['azchroot', 'azchroot-light']) {
  const cache = join(dist, `${name}.cache`);
  rmSync(cache, { force: true });
  const train = spawnSync(process.execPath, [join(root, 'bin', 'azchroot'), 'validate', join(root, 'examples', 'quickstart.pkr.hcl')], {
    env: { ...process.env, AZCHROOT_WRITE_CODE_CACHE: cache, AZCHROOT_BUNDLE: name },
    encoding: 'utf8',
  });
  if (train.status !== 0) throw new Error(`dist/${name}.cjs failed to validate the quickstart example:\n${train.stdout}${train.stderr}`);
  console.log(`wrote dist/${name}.cache (${(readFileSync(cache).length / 1e6).toFixed(1)} MB)`);
}
