// The image's /etc/fstab: which entries name /boot and /boot/efi, and which partition of the attached
// disk each one means (by UUID, LABEL, PARTUUID, PARTLABEL, /dev/disk/by-* link or partition number).

export interface FstabEntry {
  source: string;
  target: string;
  fstype: string;
  options: string[];
}

/** The mount targets azchroot mounts from the image's fstab, in mount order. */
export const FSTAB_TARGETS = ['/boot', '/boot/efi'] as const;

/** Parses fstab text: comments, blank lines and malformed lines are skipped; octal escapes (\040) decoded. */
export function parseFstab(text: string): FstabEntry[] {
  const out: FstabEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const [source, target, fstype, options] = line.split(/\s+/).map(unescape);
    if (!source || !target || !fstype) continue;
    out.push({ source, target: normalize(target), fstype, options: options ? options.split(',') : ['defaults'] });
  }
  return out;
}

/** The /boot and /boot/efi entries worth mounting (not swap/none/proc/tmpfs, not network), in FSTAB_TARGETS order. */
export function bootEntries(entries: readonly FstabEntry[]): FstabEntry[] {
  const skipTypes = new Set(['swap', 'none', 'proc', 'sysfs', 'tmpfs', 'devpts', 'nfs', 'nfs4', 'cifs', 'auto-ignored']);
  const out: FstabEntry[] = [];
  for (const target of FSTAB_TARGETS) {
    const e = entries.find((x) => x.target === target);
    if (e && !skipTypes.has(e.fstype) && parseSource(e.source)) out.push(e);
  }
  return out;
}

export type SourceSpec = { key: 'UUID' | 'LABEL' | 'PARTUUID' | 'PARTLABEL'; value: string } | { key: 'PARTNUM'; value: string };

/** What an fstab source names; undefined for anything that is not a tag or a /dev path with a partition number. */
export function parseSource(source: string): SourceSpec | undefined {
  const tag = /^(UUID|LABEL|PARTUUID|PARTLABEL)=(.+)$/.exec(source);
  if (tag) return { key: tag[1] as 'UUID', value: tag[2]!.replace(/^"(.*)"$/, '$1') };
  const link = /^\/dev\/disk\/by-(uuid|label|partuuid|partlabel)\/(.+)$/.exec(source);
  if (link) return { key: link[1]!.toUpperCase() as 'UUID', value: link[2]!.replace(/\\x2f/g, '/') };
  // /dev/sda2, /dev/nvme0n1p2, /dev/vda2: the image's device names differ here; the partition number does not.
  const part = /^\/dev\/(?:[sv]d[a-z]+|xvd[a-z]+|hd[a-z]+|nvme\d+n\d+p|mmcblk\d+p)(\d+)$/.exec(source);
  if (part) return { key: 'PARTNUM', value: part[1]! };
  return undefined;
}

/** The partition (from `probes`, partition path → blkid export) that `spec` names, if exactly one does. */
export function matchPartition(spec: SourceSpec, probes: ReadonlyMap<string, Record<string, string>>): string | undefined {
  const hits = [...probes.entries()].filter(([path, p]) => {
    if (spec.key === 'PARTNUM') return /(\d+)$/.exec(path)?.[1] === spec.value;
    const v = p[spec.key];
    // UUIDs are compared without case (vfat UUIDs are printed upper case); labels exactly.
    return v !== undefined && (spec.key.endsWith('UUID') ? v.toLowerCase() === spec.value.toLowerCase() : v === spec.value);
  });
  return hits.length === 1 ? hits[0]![0] : undefined;
}

function normalize(target: string): string {
  return target.length > 1 ? target.replace(/\/+$/, '') : target;
}

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}
