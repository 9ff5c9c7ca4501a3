// The error of one failed ARM call, saying how it failed (for the retry policy), and the
// Retry-After of the answer. A leaf: arm-call.ts makes these errors, retry-policy.ts reads them.

import { AzureError } from '../errors.js';

/** What a call does, for messages: `create disk`, and the resource id. */
export interface CallTarget { action: string; id: string }

/** How an ARM call failed, for the retry policy. */
export type FailureKind = 'refused' | 'operationFailed' | 'operationCanceled' | 'noAnswer' | 'other';

/** An AzureError that also says how the call failed (Azure refused it, its operation failed, no answer...). */
export class ArmCallError extends AzureError {
  readonly failure: FailureKind;
  constructor(message: string, failure: FailureKind, details: ConstructorParameters<typeof AzureError>[1] = {}) {
    super(message, details);
    this.failure = failure;
  }
}

/** Retry-After of a RestError's response, in ms (seconds or HTTP date), if present. */
export function retryAfterMs(err: unknown): number | undefined {
  const headers = (err as { response?: { headers?: { get?(name: string): string | undefined } } })?.response?.headers;
  const value = headers?.get?.('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
