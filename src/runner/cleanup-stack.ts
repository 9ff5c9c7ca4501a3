// azchroot's own cleanup stack (Packer defers each step's Cleanup right after its Run). A step's
// cleanup is pushed BEFORE its run is awaited, so a run that fails half-way is still undone.

export interface CleanupFailure {
  id: string;
  error: unknown;
}

/** LIFO list of named cleanups; every entry runs even when earlier ones fail. */
export class CleanupStack {
  private readonly entries: { id: string; fn: () => Promise<void> }[] = [];

  push(id: string, fn: () => Promise<void>): void {
    this.entries.push({ id, fn });
  }

  get size(): number {
    return this.entries.length;
  }

  /** Ids in the order they will run. */
  pendingIds(): string[] {
    return this.entries.map((e) => e.id).reverse();
  }

  /** Runs and removes every entry, newest first; returns the failures instead of throwing. */
  async unwind(hooks: { before?: (id: string) => void; after?: (id: string, ms: number, error?: unknown) => void } = {}): Promise<CleanupFailure[]> {
    const failures: CleanupFailure[] = [];
    for (let entry = this.entries.pop(); entry; entry = this.entries.pop()) {
      hooks.before?.(entry.id);
      const started = Date.now();
      try {
        await entry.fn();
        hooks.after?.(entry.id, Date.now() - started);
      } catch (error) {
        failures.push({ id: entry.id, error });
        hooks.after?.(entry.id, Date.now() - started, error);
      }
    }
    return failures;
  }
}
