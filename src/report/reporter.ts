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
  /** The same reporter for one build of several: lines carry the build's name (JSON: a `build` field). */
  forBuild?(build: string): Reporter;
}

/** `reporter` for `build`, when it can say so; else `reporter` itself. */
export function reporterForBuild(reporter: Reporter, build: string): Reporter {
  return reporter.forBuild?.(build) ?? reporter;
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
  readonly lines: { level: Level | 'output'; message: string; step?: string; build?: string }[] = [];
  constructor(private readonly redactor = new Redactor(), private readonly build?: string, shared?: MemoryReporter['lines']) {
    if (shared) this.lines = shared;
  }
  private push(level: Level | 'output', message: string, step?: string): void {
    this.lines.push({ level, message: this.redactor.redact(message), step, ...(this.build ? { build: this.build } : {}) });
  }
  say(m: string, step?: string): void { this.push('info', m, step); }
  warn(m: string, step?: string): void { this.push('warn', m, step); }
  error(m: string, step?: string): void { this.push('error', m, step); }
  debug(m: string, step?: string): void { this.push('debug', m, step); }
  output(line: string, _stream: 'stdout' | 'stderr', step?: string): void { this.push('output', line, step); }
  forBuild(build: string): Reporter { return new MemoryReporter(this.redactor, build, this.lines); }
  text(): string { return this.lines.map((l) => l.message).join('\n'); }
}
