// Shared formatting of timestamped report lines (plain reporter and debug log file).

import type { Level } from './reporter.js';

/** RFC 3339 UTC time to the second, like `2026-11-21T23:30:00Z`. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const MARK: Record<Level | 'output', string> = { info: '', output: '', warn: 'warning: ', error: 'error: ', debug: 'debug: ' };

/**
 * `<time> <build>: [step] <mark>text`, one per line of `text` so that every line carries time, build
 * and step; without a time, `<build>: [step] <mark>text`; without a build (a template with one), no
 * build name.
 */
export function formatLines(time: Date | undefined, level: Level | 'output', text: string, step?: string, build?: string): string[] {
  const head = `${time ? `${isoSeconds(time)} ` : ''}${build ? `${build}: ` : ''}${step ? `[${step}] ` : ''}${MARK[level]}`;
  return text.split('\n').map((line) => `${head}${line}`);
}
