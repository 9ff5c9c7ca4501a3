// The one place that prints errors: message, hint, cause, and the stack only with --debug.

import { AzchrootError, TemplateError } from '../errors.js';
import { formatDiagnostic, summarize } from '../diagnostics.js';

export interface RenderOptions {
  debug: boolean;
  write: (text: string) => void;
  redact?: (text: string) => string;
}

/** Prints `error` for a person and returns the process exit code to use. */
export function renderError(error: unknown, options: RenderOptions): number {
  const redact = options.redact ?? ((t: string) => t);
  const out = (t: string) => options.write(redact(t) + '\n');
  if (error instanceof TemplateError || (AzchrootError.is(error) && 'diagnostics' in error)) {
    const te = error as TemplateError;
    for (const d of te.diagnostics) out(formatDiagnostic(d));
    out(summarize(te.diagnostics));
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
