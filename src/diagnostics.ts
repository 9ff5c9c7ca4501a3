// Template diagnostics: every problem found in a template, with where it is and what to do.
// Loader, schema validation and semantic rules all produce these; nothing prints them but the CLI.

/** A 1-based position in a source file. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable code, e.g. AZC_SCHEMA_UNKNOWN_KEY. */
  code: string;
  /** One line: what is wrong, with the value involved. */
  summary: string;
  /** What is allowed / what to do, e.g. `allowed: None, ReadOnly, ReadWrite` or `did you mean "mount_path"?`. */
  detail?: string;
  /** Where, when known. */
  pos?: SourcePos;
  /** Key path as the user wrote it: `source.azure-chroot.example.os_disk_cache_type`, `builders[0].source`. */
  path?: string;
}

export function error(code: string, summary: string, extra: Omit<Diagnostic, 'severity' | 'code' | 'summary'> = {}): Diagnostic {
  return { severity: 'error', code, summary, ...extra };
}

export function warning(code: string, summary: string, extra: Omit<Diagnostic, 'severity' | 'code' | 'summary'> = {}): Diagnostic {
  return { severity: 'warning', code, summary, ...extra };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * `file:line:col: error[CODE]: summary [path]` followed by an indented detail line: the form
 * compilers use (rustc's, with the code), so editors and CI problem matchers read it. Paths are
 * shown relative to `cwd`.
 */
export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  const where = d.pos ? `${relative(d.pos.file, cwd)}:${d.pos.line}:${d.pos.column}: ` : '';
  const path = d.path ? ` [${d.path}]` : '';
  const head = `${where}${d.severity}[${d.code}]: ${d.summary}${path}`;
  return d.detail ? `${head}\n    ${d.detail.split('\n').join('\n    ')}` : head;
}

/**
 * In reading order: by file (in the order files first appear), then line and column. Diagnostics
 * without a position keep their relative order, after the positioned ones. Stable.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const fileRank = new Map<string, number>();
  for (const d of diagnostics) if (d.pos && !fileRank.has(d.pos.file)) fileRank.set(d.pos.file, fileRank.size);
  const key = (d: Diagnostic): [number, number, number] => (d.pos ? [fileRank.get(d.pos.file)!, d.pos.line, d.pos.column] : [Infinity, 0, 0]);
  return diagnostics
    .map((d, i) => ({ d, i, k: key(d) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i)
    .map((x) => x.d);
}

/** "2 error(s), 1 warning(s)". */
export function summarize(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return `${errors} error(s), ${warnings} warning(s)`;
}

function relative(file: string, cwd: string): string {
  return file.startsWith(cwd + '/') ? file.slice(cwd.length + 1) : file;
}
