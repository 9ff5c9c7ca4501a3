// Retry-policy settings from the environment, for operators (and tests, which use a tiny scale):
//   AZCHROOT_AZURE_RETRY_DEADLINE_MS   time budget of one Azure operation with its retries (default 10 min)
//   AZCHROOT_AZURE_MAX_RETRY_AFTER_MS  longest wait a Retry-After header may impose (default 120 s)
//   AZCHROOT_AZURE_RETRY_BASE_MS       first back-off delay (default 2 s; 50 ms with the emulator)
//   AZCHROOT_AZURE_RETRY_MAX_MS        longest back-off delay (default 60 s; 1 s with the emulator)
//   AZCHROOT_AZURE_REQUEST_TIMEOUT_MS  time limit of one HTTP request (default 120 s)

import type { RetrySettings } from './retry-policy.js';

const NAMES = {
  deadlineMs: 'AZCHROOT_AZURE_RETRY_DEADLINE_MS',
  maxRetryAfterMs: 'AZCHROOT_AZURE_MAX_RETRY_AFTER_MS',
  baseDelayMs: 'AZCHROOT_AZURE_RETRY_BASE_MS',
  maxDelayMs: 'AZCHROOT_AZURE_RETRY_MAX_MS',
} as const;

/** The retry settings the environment sets; `warn` is told about values that are not whole ms. */
export function retrySettingsFromEnv(env: NodeJS.ProcessEnv, warn?: (message: string) => void): Partial<RetrySettings> {
  const out: Partial<RetrySettings> = {};
  for (const [key, name] of Object.entries(NAMES) as [keyof typeof NAMES, string][]) {
    const ms = parseMs(env, name, warn);
    if (ms !== undefined) out[key] = ms;
  }
  return out;
}

/** AZCHROOT_AZURE_REQUEST_TIMEOUT_MS, if set. */
export function requestTimeoutFromEnv(env: NodeJS.ProcessEnv, warn?: (message: string) => void): number | undefined {
  return parseMs(env, 'AZCHROOT_AZURE_REQUEST_TIMEOUT_MS', warn);
}

function parseMs(env: NodeJS.ProcessEnv, name: string, warn?: (message: string) => void): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (Number.isInteger(ms) && ms >= 0) return ms;
  warn?.(`ignoring ${name}=${JSON.stringify(raw)}: it must be a whole number of milliseconds; using the default`);
  return undefined;
}
