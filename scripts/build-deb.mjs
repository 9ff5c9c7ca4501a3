// Build step: the Debian package dist/azchroot_<version>_amd64.deb, made with dpkg-deb from the
// single executable (scripts/build-sea.mjs), so the machine it is installed on needs no Node.js:
//   /usr/bin/azchroot                                 the single executable
//   /usr/share/man/man1/azchroot.1.gz                 packaging/azchroot.1
//   /usr/share/bash-completion/completions/azchroot   packaging/bash-completion/azchroot
//   /usr/share/doc/azchroot/examples/                 examples/ (templates)
//   /usr/share/doc/azchroot/examples/scheduled/       packaging/scheduled/ (cron, systemd timer)
// Usage: node scripts/build-deb.mjs   (after `npm run build:sea`; `npm run build:deb` does both)

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const version = pkg.version;
const stage = join(dist, 'deb');
const output = join(dist, `azchroot_${version}_amd64.deb`);
const sea = join(dist, 'azchroot-linux-x64');
statSync(sea); // fails with ENOENT and the path when build:sea has not run

rmSync(stage, { recursive: true, force: true });
const dir = (p) => {
  mkdirSync(join(stage, p), { recursive: true, mode: 0o755 });
  return join(stage, p);
};
const file = (p, contents, mode = 0o644) => {
  writeFileSync(join(stage, p), contents);
  chmodSync(join(stage, p), mode);
};

dir('usr/bin');
copyFileSync(sea, join(stage, 'usr/bin/azchroot'));
chmodSync(join(stage, 'usr/bin/azchroot'), 0o755);

dir('usr/share/man/man1');
const man = readFileSync(join(root, 'packaging/azchroot.1'), 'utf8').replaceAll('@VERSION@', version);
file('usr/share/man/man1/azchroot.1.gz', gzipSync(man, { level: 9 }));

dir('usr/share/bash-completion/completions');
file('usr/share/bash-completion/completions/azchroot', readFileSync(join(root, 'packaging/bash-completion/azchroot')));

const doc = dir('usr/share/doc/azchroot');
cpSync(join(root, 'examples'), join(doc, 'examples'), { recursive: true });
cpSync(join(root, 'packaging/scheduled'), join(doc, 'examples/scheduled'), { recursive: true });
file('usr/share/doc/azchroot/copyright', `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: azchroot

Files: *
License: ${pkg.license}
 The single executable /usr/bin/azchroot also contains Node.js ${process.version} and the npm
 packages azchroot bundles; their licenses are in their own distributions.
`);
// Debian policy: regular files 0644, directories 0755, whatever the checkout's umask was.
const normalise = (p) => {
  for (const name of readdirSync(p)) {
    const full = join(p, name);
    if (statSync(full).isDirectory()) {
      chmodSync(full, 0o755);
      normalise(full);
    } else if (full !== join(stage, 'usr/bin/azchroot')) chmodSync(full, 0o644);
  }
};
normalise(join(stage, 'usr'));

const installedKb = Math.ceil(du(join(stage, 'usr')) / 1024);
dir('DEBIAN');
file('DEBIAN/control', `Package: azchroot
Version: ${version}
Architecture: amd64
Maintainer: azchroot developers <azchroot@localhost>
Installed-Size: ${installedKb}
Depends: libc6, libstdc++6, libgcc-s1, util-linux, mount, e2fsprogs
Recommends: fdisk, busybox-static, qemu-system-x86, ovmf
Section: admin
Priority: optional
Description: build Azure Linux images from a chroot on a golden-image VM
 azchroot reads Packer azure-chroot templates (HCL2 and legacy JSON) and builds
 managed images and Azure Compute Gallery versions from a chroot on the Azure VM
 it runs on, as Packer's azure-chroot builder does, without Packer. A single
 executable: needs no Node.js. An embedded Azure emulator runs builds locally.
`);

rmSync(output, { force: true });
const r = spawnSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', stage, output], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
rmSync(stage, { recursive: true, force: true });
console.log(`wrote ${output.slice(root.length)} (${(statSync(output).size / 1e6).toFixed(0)} MB)`);

function du(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.size;
  return readdirSync(p).reduce((n, name) => n + du(join(p, name)), 0);
}
