// The boot_test block (azchroot extension): absent = off, `boot_test {}` = on with the defaults.

import { resolveBootOptions, type RawBootOptions } from '../boot-options.js';
import type { BootTestConfig } from '../model.js';
import type { Report } from '../report.js';

/** The boot test of body `b`, undefined when off or invalid (problems reported). */
export function resolveBootTest(b: Record<string, unknown>, report: Report): BootTestConfig | undefined {
  const raw = b.boot_test;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) return undefined; // the schema reported it
  const r = raw as Record<string, unknown>;
  const pick = <T>(key: string, type: string): T | undefined => (typeof r[key] === type ? (r[key] as T) : undefined);
  const input: RawBootOptions = {
    timeout: pick<string>('timeout', 'string'),
    expect: pick<string>('expect', 'string'),
    firmware: pick<string>('firmware', 'string'),
    accel: pick<string>('accel', 'string'),
    memory: pick<number>('memory', 'number'),
  };
  const resolved = resolveBootOptions(input);
  if (!Array.isArray(resolved)) return resolved;
  // The schema already reports values outside the firmware and accel enums.
  for (const p of resolved.filter((x) => x.key !== 'firmware' && x.key !== 'accel')) report.error('AZC_CONFIG_BOOT_TEST', `boot_test.${p.message}`, ['boot_test', p.key], p.hint);
  return undefined;
}
