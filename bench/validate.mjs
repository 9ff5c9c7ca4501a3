// Side-by-side timing of azchroot validate and packer validate -syntax-only. See bench/validate.
// Rows: for an HCL2 and a JSON template, the first run on fresh template text (a unique comment
// line, or for JSON a unique description, in every run: nothing seen before can help) and a
// repeated run on unchanged text, through the npm install and through the single executable.
// Every variant runs once per round, in turn, so all see the same machine load; medians.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 11);
const packer = '/usr/bin/packer';
const npmBin = process.env.AZC_BENCH_NPM;
const sea = 'dist/azchroot-linux-x64';
for (const [what, path] of [['packer (apt-get install packer)', packer], ['the npm install (bash bench/validate)', npmBin], ['the single executable (npm run build:sea)', sea]]) {
  if (!path || !existsSync(path)) {
    console.error(`missing ${what}`);
    process.exit(1);
  }
}

const work = mkdtempSync(join(tmpdir(), 'azc-bench-validate-'));
cpSync('examples/files', join(work, 'files'), { recursive: true });
const templates = {
  HCL2: { source: readFileSync('examples/quickstart.pkr.hcl', 'utf8'), file: 'quickstart.pkr.hcl', fresh: (text, n) => `# run ${n} ${process.pid}\n${text}` },
  JSON: {
    source: readFileSync('examples/managed-identity.json', 'utf8'),
    file: 'managed-identity.json',
    fresh: (text, n) => text.replace(/^\{/, `{\n  "description": "run ${n} ${process.pid}",`),
  },
};
const baseEnv = { ...process.env, CHECKPOINT_DISABLE: '1', PACKER_LOG: '' };

let counter = 0;
/** A path holding the template: fresh text every call, or the same text as the previous repeat. */
function templatePath(kind, fresh) {
  const t = templates[kind];
  const dir = join(work, fresh ? `fresh-${counter++}` : `repeat-${kind}`);
  const path = join(dir, t.file);
  if (fresh || !existsSync(path)) {
    cpSync(join(work, 'files'), join(dir, 'files'), { recursive: true });
    writeFileSync(path, fresh ? t.fresh(t.source, counter) : t.source);
  }
  return path;
}

const variants = [
  ['node -e 0', () => [process.execPath, '-e', '0']],
  ['packer', (k) => [packer, 'validate', '-syntax-only', templatePath(k, true)]],
  ['npm, fresh text', (k) => [npmBin, 'validate', templatePath(k, true)]],
  ['npm, repeated', (k) => [npmBin, 'validate', templatePath(k, false)]],
  ['single executable, fresh text', (k) => [sea, 'validate', templatePath(k, true)]],
  ['single executable, repeated', (k) => [sea, 'validate', templatePath(k, false)]],
];

function time(argv) {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env: baseEnv, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    console.error(`${argv.join(' ')} failed:\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results = {};
try {
  for (const kind of Object.keys(templates)) {
    const samples = variants.map(() => []);
    for (const [, make] of variants) time(make(kind)); // warm the page cache
    for (let i = 0; i < runs; i++) variants.forEach(([, make], k) => samples[k].push(time(make(kind))));
    results[kind] = samples.map(median);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(`validate, median of ${runs} alternating runs, wall ms; ratio = / packer validate -syntax-only (goal: at most 1.5)`);
console.log('variant'.padEnd(32) + Object.keys(templates).map((k) => k.padStart(18)).join(''));
variants.forEach(([name], v) => {
  const cells = Object.keys(templates).map((kind) => {
    const ms = results[kind][v];
    const p = results[kind][1];
    return (v === 1 ? `${ms.toFixed(0)}` : `${ms.toFixed(0)} (${(ms / p).toFixed(2)}x)`).padStart(18);
  });
  console.log(name.padEnd(32) + cells.join(''));
});
const loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`load average at the end: ${loadavg} (on a shared machine, compare the ratios, not the times)`);
