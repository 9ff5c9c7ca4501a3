// The one place that prints errors: message, hint, cause, and the stack only with --debug.

import { AzchrootError, TemplateError } from '../errors.js';
import { formatDiagnostic, hasErrors, sortDiagnostics, summarize, type Diagnostic } from '../diagnostics.js';

export interface RenderOptions {
  debug: boolean;
  write: (text: string) => void;
  redact?: (text: string) => string;
}

/**
 * Prints a template's diagnostics in reading order, then, when there is an error, the count and
 * `verdict`. Returns whether there was an error.
 */
export function printDiagnostics(diagnostics: readonly Diagnostic[], options: Omit<RenderOptions, 'debug'> & { verdict: string }): boolean {
  const redact = options.redact ?? ((t: string) => t);
  for (const d of sortDiagnostics(diagnostics)) options.write(redact(formatDiagnostic(d)) + '\n');
  if (!hasErrors(diagnostics)) return false;
  options.write(`${summarize(diagnostics)}: ${options.verdict}\n`);
  return true;
}

/** Prints `error` for a person and returns the process exit code to use. */
export function renderError(error: unknown, options: RenderOptions): number {
  const redact = options.redact ?? ((t: string) => t);
  const out = (t: string) => options.write(redact(t) + '\n');
  if (error instanceof TemplateError || (AzchrootError.is(error) && 'diagnostics' in error)) {
    const te = error as TemplateError;
    printDiagnostics(te.diagnostics, { ...options, verdict: 'the template is not valid.' });
    return te.exitCode;
  }
  if (AzchrootError.is(error)) {
    out(`Error: ${error.message}`);
    const details = (error as { output?: string }).output;
    if (details) out(indent(details));
    if (error.hint) out(`Hint: ${error.hint}`);
    if (error.source === 'internal') out('This is a bug in azchroot. Please report it with the output of --debug.');
    if (options.debug) {
      if (error.cause) out(`Cause: ${describe(error.cause)}`);
      if (error.stack) out(error.stack);
    }
    return error.exitCode;
  }
  out(`Error: ${error instanceof Error ? error.message : String(error)}`);
  if (options.debug && error instanceof Error && error.stack) out(error.stack);
  else out('This is unexpected: run again with --debug for details, and please report it.');
  return 1;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
