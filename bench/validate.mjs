// Side-by-side timing of azchroot validate and packer validate -syntax-only. See bench/validate.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const runs = Number(process.argv[2] ?? 10);
const templates = [
  'examples/managed-identity.json',
  'examples/service-principal.json',
  'examples/chroot-mounts.json',
  'examples/managed-identity.pkr.hcl',
  'examples/quickstart.pkr.hcl',
];
const packer = '/usr/bin/packer';
if (!existsSync(packer)) {
  console.error('packer is not installed: apt-get install packer');
  process.exit(1);
}

const env = { ...process.env, CHECKPOINT_DISABLE: '1', PACKER_LOG: '' };
function time(argv) {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: r.status, out: (r.stdout ?? '') + (r.stderr ?? '') };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows = [];
for (const t of templates) {
  const cmds = {
    packer: [packer, 'validate', '-syntax-only', t],
    azchroot: [process.execPath, 'bin/azchroot', 'validate', t],
    'azchroot-syntax': [process.execPath, 'bin/azchroot', 'validate', '-syntax-only', t],
  };
  const samples = { packer: [], azchroot: [], 'azchroot-syntax': [] };
  for (let i = 0; i < runs; i++) {
    // Interleave so both see the same machine load.
    for (const [name, argv] of Object.entries(cmds)) {
      const r = time(argv);
      if (r.status !== 0) {
        console.error(`${name} failed on ${t}:\n${r.out}`);
        process.exit(1);
      }
      samples[name].push(r.ms);
    }
  }
  rows.push({ t, p: median(samples.packer), a: median(samples.azchroot), s: median(samples['azchroot-syntax']) });
}

console.log(`median of ${runs} runs each, ms`);
console.log('template'.padEnd(40), 'packer -syntax-only'.padStart(20), 'azchroot validate'.padStart(18), 'ratio'.padStart(7), 'azchroot -syntax-only'.padStart(22), 'ratio'.padStart(7));
for (const r of rows) {
  console.log(r.t.padEnd(40), r.p.toFixed(1).padStart(20), r.a.toFixed(1).padStart(18), (r.a / r.p).toFixed(2).padStart(7), r.s.toFixed(1).padStart(22), (r.s / r.p).toFixed(2).padStart(7));
}
const total = (k) => rows.reduce((n, r) => n + r[k], 0);
console.log(`overall: azchroot validate / packer = ${(total('a') / total('p')).toFixed(2)}, azchroot -syntax-only / packer = ${(total('s') / total('p')).toFixed(2)} (below 1 means azchroot is faster)`);
