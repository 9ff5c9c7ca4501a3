// How the library talks to the user. The CLI picks an implementation (listr2 task view, plain
// timestamped lines, JSON events); tests record messages. Every implementation passes text
// through the redactor, so secrets never reach output.

export type Level = 'info' | 'warn' | 'error' | 'debug';

export interface Reporter {
  /** A progress line belonging to the current step (`step` is its id, e.g. `attach-disk`). */
  say(message: string, step?: string): void;
  warn(message: string, step?: string): void;
  error(message: string, step?: string): void;
  debug(message: string, step?: string): void;
  /** One line of output from a command or provisioner, streamed live. */
  output(line: string, stream: 'stdout' | 'stderr', step?: string): void;
}

/** Replaces every registered secret with `<sensitive>`. */
export class Redactor {
  private readonly secrets = new Set<string>();
  add(...values: (string | undefined)[]): void {
    for (const v of values) if (v && v.length >= 3) this.secrets.add(v);
  }
  redact(text: string): string {
    let out = text;
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('<sensitive>');
    return out;
  }
}

/** A reporter that keeps messages in memory: for tests and for --json collection. */
export class MemoryReporter implements Reporter {
  readonly lines: { level: Level | 'output'; message: string; step?: string }[] = [];
  constructor(private readonly redactor = new Redactor()) {}
  say(m: string, step?: string): void { this.lines.push({ level: 'info', message: this.redactor.redact(m), step }); }
  warn(m: string, step?: string): void { this.lines.push({ level: 'warn', message: this.redactor.redact(m), step }); }
  error(m: string, step?: string): void { this.lines.push({ level: 'error', message: this.redactor.redact(m), step }); }
  debug(m: string, step?: string): void { this.lines.push({ level: 'debug', message: this.redactor.redact(m), step }); }
  output(line: string, _stream: 'stdout' | 'stderr', step?: string): void { this.lines.push({ level: 'output', message: this.redactor.redact(line), step }); }
  text(): string { return this.lines.map((l) => l.message).join('\n'); }
}
