// The ledger: the single record of every temporary thing a build makes, on Azure and on the host.
// `track` writes the intent durably (fsync) before the action and marks it created after; `release`
// undoes what is pending through the one undoer of each kind, in the one order (RELEASE_ORDER,
// newest first within a kind). A build's early teardown and final cleanup, the signal path and
// `azchroot cleanup` after a crash all release through here.

import type { Journal, PendingResource, ResourceKind } from './journal.js';
import { pendingResources } from './journal.js';
import { HOLDS_THE_DISK, KIND_LABELS, NEEDS_THE_DISK_FREE, RELEASE_ORDER } from './kinds.js';
import { undo, type UndoEnv } from './undoers.js';

export interface ReleaseFailure {
  kind: ResourceKind;
  id: string;
  /** "temporary disk /subscriptions/...": what is left. */
  label: string;
  error: unknown;
}

export interface ReleaseReport {
  removed: PendingResource[];
  kept: PendingResource[];
  failed: ReleaseFailure[];
}

export interface ReleaseOptions {
  /** Only these kinds (default: every temporary kind). */
  kinds?: readonly ResourceKind[];
  /** Called around each release (timings, the task view). */
  before?(p: PendingResource): void;
  after?(p: PendingResource, ms: number, error?: unknown): void;
}

/** "temporary disk /subscriptions/..." */
export function labelOf(p: { kind: ResourceKind; id: string }): string {
  return `${KIND_LABELS[p.kind]} ${p.id}`;
}

/** `pending` in release order. */
export function releaseOrder(pending: readonly PendingResource[]): PendingResource[] {
  return [...pending].sort((a, b) => RELEASE_ORDER.indexOf(a.kind) - RELEASE_ORDER.indexOf(b.kind) || b.seq - a.seq);
}

export class Ledger {
  /** The step now running: recorded with each intent, and the prefix of its release messages. */
  step: string | undefined;

  constructor(readonly journal: Journal) {}

  /** Records the intent of `kind id`, runs `action`, then marks it created (with what `identify` learns about it). */
  async track<T>(kind: ResourceKind, id: string, detail: Record<string, unknown> | undefined, action: () => Promise<T>, identify?: () => Promise<Record<string, unknown> | undefined>): Promise<T> {
    const full = this.step ? { step: this.step, ...detail } : detail;
    this.journal.intent(kind, id, { detail: full, temporary: kind !== 'image' && kind !== 'gallery-version' });
    const result = await action();
    this.journal.created(kind, id, identify ? await identify().catch(() => undefined) : undefined);
    return result;
  }

  /** What is pending (temporary only). */
  pending(kinds?: readonly ResourceKind[]): PendingResource[] {
    return pendingResources(this.journal.entries()).filter((p) => p.temporary && (!kinds || kinds.includes(p.kind)));
  }

  /** Releases what is pending, in the one order; every item is tried, failures are returned, not thrown. */
  release(env: UndoEnv, options: ReleaseOptions = {}): Promise<ReleaseReport> {
    return releasePending(this.pending(options.kinds), this.journal, env, options);
  }
}

/** Releases `pending` (from a live ledger or a dead build's journal) and records each outcome in `journal`. */
export async function releasePending(pending: readonly PendingResource[], journal: Pick<Journal, 'removed'>, env: UndoEnv, options: ReleaseOptions = {}): Promise<ReleaseReport> {
  const report: ReleaseReport = { removed: [], kept: [], failed: [] };
  let holding: string | undefined;
  for (const p of releaseOrder(pending)) {
    const label = labelOf(p);
    options.before?.(p);
    const started = Date.now();
    try {
      if (holding && NEEDS_THE_DISK_FREE.includes(p.kind)) throw new Error(`not detached or deleted while ${holding} is still in use`);
      // Messages name the step that made the thing, unless the release belongs to a step (early teardown).
      const owner = typeof p.detail?.step === 'string' ? p.detail.step : undefined;
      const outcome = await undo(p, env.step || !owner ? env : { ...env, step: owner });
      if (outcome === 'kept') {
        // Still pending in the journal: `azchroot cleanup --build-id` removes what skip_cleanup kept.
        report.kept.push(p);
        if (p.kind === 'disk' || p.kind === 'snapshot') env.reporter.say(`skip_cleanup: keeping ${label}`, env.step);
      } else {
        journal.removed(p.kind, p.id);
        report.removed.push(p);
      }
      options.after?.(p, Date.now() - started);
    } catch (error) {
      if (HOLDS_THE_DISK.includes(p.kind)) holding ??= label;
      report.failed.push({ kind: p.kind, id: p.id, label, error });
      options.after?.(p, Date.now() - started, error);
    }
  }
  return report;
}
