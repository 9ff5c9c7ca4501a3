// Side-by-side timing of azchroot validate and packer validate -syntax-only. See bench/validate.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 10);
const templates = [
  'examples/managed-identity.json',
  'examples/service-principal.json',
  'examples/chroot-mounts.json',
  'examples/managed-identity.pkr.hcl',
  'examples/quickstart.pkr.hcl',
  'examples/shared-image-gallery.pkr.hcl',
];
// Cold: a fresh HCL parse cache for every azchroot run (first sight of a template); warm: the cache
// kept from the previous run of the same template (an unchanged template validated again).
const packer = '/usr/bin/packer';
if (!existsSync(packer)) {
  console.error('packer is not installed: apt-get install packer');
  process.exit(1);
}

// The service-principal example reads ARM_* variables (as its comment says).
// The service-principal example reads ARM_* variables (as its comment says).
const baseEnv = {
  ...process.env,
  CHECKPOINT_DISABLE: '1',
  PACKER_LOG: '',
  ARM_CLIENT_ID: 'c',
  ARM_CLIENT_SECRET: 's',
  ARM_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000001',
  ARM_IMAGE_RESOURCEGROUP_ID: 'rg',
};
const cacheRoot = mkdtempSync(join(tmpdir(), 'azc-bench-cache-'));
let coldRun = 0;

function time(argv, env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env: { ...baseEnv, ...env }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: r.status, out: (r.stdout ?? '') + (r.stderr ?? '') };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Cold: an empty HCL parse cache (a template seen for the first time); warm: the cache of the
// previous run (an unchanged template validated again, e.g. from cron). JSON templates use no cache.
const variants = {
  packer: (t) => [[packer, 'validate', '-syntax-only', t], {}],
  'azchroot cold': (t) => [[process.execPath, 'bin/azchroot', 'validate', t], { AZCHROOT_CACHE_DIR: join(cacheRoot, `cold-${coldRun++}`) }],
  'azchroot warm': (t) => [[process.execPath, 'bin/azchroot', 'validate', t], { AZCHROOT_CACHE_DIR: join(cacheRoot, 'warm') }],
  'azchroot -syntax-only warm': (t) => [[process.execPath, 'bin/azchroot', 'validate', '-syntax-only', t], { AZCHROOT_CACHE_DIR: join(cacheRoot, 'warm') }],
};

const rows = [];
try {
  for (const t of templates) {
    const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    time(...variants['azchroot warm'](t)); // fill the warm cache
    for (let i = 0; i < runs; i++) {
      // Interleaved, so every variant sees the same machine load.
      for (const [name, make] of Object.entries(variants)) {
        const r = time(...make(t));
        if (r.status !== 0) {
          console.error(`${name} failed on ${t}:\n${r.out}`);
          process.exit(1);
        }
        samples[name].push(r.ms);
      }
    }
    rows.push({ t, m: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) });
  }
} finally {
  rmSync(cacheRoot, { recursive: true, force: true });
}

const names = Object.keys(variants);
console.log(`validate, median of ${runs} runs each, wall ms (ratio = azchroot / packer; below 1 means azchroot is faster)`);
console.log('template'.padEnd(40) + names.map((n) => n.padStart(n === 'packer' ? 10 : 30)).join(''));
for (const r of rows) {
  const p = r.m.packer;
  console.log(r.t.padEnd(40) + names.map((n) => (n === 'packer' ? p.toFixed(0).padStart(10) : `${r.m[n].toFixed(0)} (${(r.m[n] / p).toFixed(2)}x)`.padStart(30))).join(''));
}
for (const n of names.slice(1)) {
  const ratio = rows.reduce((a, r) => a + r.m[n], 0) / rows.reduce((a, r) => a + r.m.packer, 0);
  console.log(`overall ${n} / packer = ${ratio.toFixed(2)}`);
}
