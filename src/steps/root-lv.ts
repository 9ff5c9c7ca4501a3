// Choosing the root logical volume of a detected image, like Packer's LVM step (research §4.2), and
// naming the temporary volume group used when the image's VG name clashes with one of the host's.

import type { LogicalVolume } from '../host/lvm-query.js';

// lv_attr's first letter: snapshot, virtual, thin pool/volume, external origin, raid/mirror image and
// log, pool metadata: never a root file system. "p" (pvmove) likewise.
const NOT_ROOT_TYPES = new Set(['s', 'v', 't', 'e', 'i', 'l', 'd', 'S', 'V', 'T', 'E', 'I', 'L', 'D', 'p']);
const ROOT_NAMES = ['root', 'lv_root', 'rootlv', 'lvroot'];

/** The LV to mount as root: drop special LVs and swap (unless that leaves none); one left wins; else a well-known name; else a name with "root"; else the first. */
export function chooseRootLv(lvs: readonly LogicalVolume[], isSwap: (lv: LogicalVolume) => boolean): LogicalVolume | undefined {
  const plain = lvs.filter((lv) => !NOT_ROOT_TYPES.has(lv.attr.charAt(0)));
  const noSwap = plain.filter((lv) => !isSwap(lv));
  const candidates = noSwap.length > 0 ? noSwap : plain;
  if (candidates.length <= 1) return candidates[0];
  for (const name of ROOT_NAMES) {
    const hit = candidates.find((lv) => lv.name === name);
    if (hit) return hit;
  }
  return candidates.find((lv) => lv.name.toLowerCase().includes('root')) ?? candidates[0];
}

/** Temporary name for an image VG whose name the host already uses: `<vg>-azc<first 8 letters/digits of the build id>`. */
export function temporaryVgName(vg: string, buildId: string): string {
  const tag = buildId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8).toLowerCase() || 'build';
  return `${vg}-azc${tag}`;
}

/** VG names of `imageVgs` that the host also has on PVs outside the attached disk. */
export function clashingVgs(imageVgs: readonly string[], hostPvs: readonly { pv: string; vg: string }[], ownPvs: ReadonlySet<string>): string[] {
  const hostVgs = new Set(hostPvs.filter((p) => !ownPvs.has(p.pv)).map((p) => p.vg));
  return imageVgs.filter((vg) => hostVgs.has(vg));
}
