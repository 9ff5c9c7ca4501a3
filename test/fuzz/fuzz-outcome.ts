// What a fuzz case can end as, and how a validate result is judged.

import type { Diagnostic } from '../../src/diagnostics.js';

export interface CaseMessage {
  id: number;
  fileName: string;
  data: Uint8Array;
}

/** valid/invalid/error are fine; internal (a thrown non-azchroot error or a stack trace in a message) and slow are failures. */
export type Outcome = 'valid' | 'invalid' | 'error' | 'internal' | 'stack' | 'slow';

export interface CaseResult {
  id: number;
  ms: number;
  outcome: Outcome;
  message?: string;
}

const STACKY = /Maximum call stack size exceeded|\n\s+at [^\n]+:\d+:\d+/;

/** valid when no error, invalid with errors, stack when any message holds a stack trace or a stack overflow. */
export function classifyDiagnostics(diagnostics: readonly Diagnostic[]): Omit<CaseResult, 'id' | 'ms'> {
  const stacky = diagnostics.find((d) => STACKY.test(`${d.summary}\n${d.detail ?? ''}`));
  if (stacky) return { outcome: 'stack', message: `${stacky.summary}\n${stacky.detail ?? ''}` };
  return { outcome: diagnostics.some((d) => d.severity === 'error') ? 'invalid' : 'valid' };
}

/** Whether an outcome is a failure of azchroot. */
export function isFailure(r: CaseResult, limitMs: number): boolean {
  return r.outcome === 'internal' || r.outcome === 'stack' || r.outcome === 'slow' || r.ms > limitMs;
}
