// Fault rules: injected failures, throttling, failed LROs and device-link delays. A rule applies
// to its operation name, or to every ARM resource operation with `*`; `times` limits how often it
// fires (absent: every time).

import type { FaultRule } from './api.js';
import { ArmError } from './http-kit.js';

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export interface FaultRegistry {
  add(rules: readonly FaultRule[]): void;
  clear(): void;
  list(): FaultRule[];
  /** The request-level fault (status or throttle) for `operation`, consumed; undefined when none fires. */
  takeRequestFault(operation: string): ArmError | undefined;
  /** How long a request for `operation` is held unanswered (consumes the rule); undefined when no hang fires. */
  takeHang(operation: string): number | undefined;
  /** True when the LRO of `operation` must end as Failed (consumes the rule). */
  takeFailLro(operation: string): FaultRule | undefined;
  /** Device-link options for an attach done by `operation` (consumes the rule). */
  takeLinkFault(operation: string): { linkDelayMs?: number; neverLink?: boolean } | undefined;
}

/** Operations `*` does not cover: token, metadata and status endpoints. */
const UNIVERSAL_EXEMPT = /^(imds|entra|operations|subscriptions|admin)\./;

/** Checks one rule's shape; throws a TypeError naming the problem. */
export function validateFaultRule(value: unknown): FaultRule {
  const r = value as FaultRule;
  if (typeof r !== 'object' || r === null || typeof r.operation !== 'string' || r.operation === '') {
    throw new TypeError(`fault rule needs an "operation" string, got ${JSON.stringify(value)}`);
  }
  const effects = [r.status !== undefined, r.retryAfter !== undefined, r.failLro === true, r.linkDelayMs !== undefined, r.neverLink === true, r.hangMs !== undefined];
  if (!effects.some(Boolean)) {
    throw new TypeError(`fault rule for "${r.operation}" has no effect; set status, retryAfter, failLro, hangMs, linkDelayMs or neverLink`);
  }
  if (r.hangMs !== undefined && (!Number.isFinite(r.hangMs) || r.hangMs < 0)) {
    throw new TypeError(`fault rule for "${r.operation}": hangMs must be a number of milliseconds >= 0, got ${r.hangMs}`);
  }
  if (r.status !== undefined && (!Number.isInteger(r.status) || r.status < 400 || r.status > 599)) {
    throw new TypeError(`fault rule for "${r.operation}": status must be an HTTP error status 400-599, got ${r.status}`);
  }
  if (r.times !== undefined && (!Number.isInteger(r.times) || r.times < 1)) {
    throw new TypeError(`fault rule for "${r.operation}": times must be a positive integer, got ${r.times}`);
  }
  return r;
}

/** A registry holding `initial` rules. */
export function createFaultRegistry(initial: readonly FaultRule[] = []): FaultRegistry {
  let active: ActiveRule[] = [];
  const matches = (rule: FaultRule, operation: string) =>
    rule.operation.toLowerCase() === operation.toLowerCase() || (rule.operation === '*' && !UNIVERSAL_EXEMPT.test(operation));
  const take = (operation: string, wanted: (r: FaultRule) => boolean): FaultRule | undefined => {
    const hit = active.find((a) => a.remaining > 0 && matches(a.rule, operation) && wanted(a.rule));
    if (!hit) return undefined;
    hit.remaining -= 1;
    active = active.filter((a) => a.remaining > 0);
    return hit.rule;
  };
  const registry: FaultRegistry = {
    add(rules) {
      for (const rule of rules) active.push({ rule: validateFaultRule(rule), remaining: rule.times ?? Number.POSITIVE_INFINITY });
    },
    clear() {
      active = [];
    },
    list: () => active.map((a) => ({ ...a.rule, ...(Number.isFinite(a.remaining) ? { times: a.remaining } : {}) })),
    takeRequestFault(operation) {
      const rule = take(operation, (r) => (r.status !== undefined || r.retryAfter !== undefined) && r.hangMs === undefined);
      if (!rule) return undefined;
      if (rule.retryAfter !== undefined && (rule.status === undefined || rule.status === 429)) {
        return new ArmError(429, rule.code ?? 'TooManyRequests', rule.message ?? `The request is being throttled (injected fault on ${operation}); retry after ${rule.retryAfter} s.`, {
          headers: { 'Retry-After': String(Math.max(0, Math.round(rule.retryAfter))) },
        });
      }
      const status = rule.status ?? 500;
      return new ArmError(status, rule.code ?? defaultCode(status), rule.message ?? `Injected fault on ${operation}: HTTP ${status}.`);
    },
    takeHang: (operation) => take(operation, (r) => r.hangMs !== undefined)?.hangMs,
    takeFailLro: (operation) => take(operation, (r) => r.failLro === true),
    takeLinkFault(operation) {
      const rule = take(operation, (r) => r.linkDelayMs !== undefined || r.neverLink === true);
      return rule ? { linkDelayMs: rule.linkDelayMs, neverLink: rule.neverLink } : undefined;
    },
  };
  registry.add(initial);
  return registry;
}

function defaultCode(status: number): string {
  const codes: Record<number, string> = {
    400: 'BadRequest',
    401: 'AuthenticationFailed',
    403: 'AuthorizationFailed',
    404: 'ResourceNotFound',
    409: 'Conflict',
    429: 'TooManyRequests',
    500: 'InternalServerError',
    503: 'ServiceUnavailable',
    504: 'GatewayTimeout',
  };
  return codes[status] ?? 'InjectedFault';
}
