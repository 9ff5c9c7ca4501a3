// `azchroot validate`: load, check and report every problem at once. Never calls Azure or IMDS.

import { validate } from '../../validate.js';
import { formatDiagnostic, summarize, hasErrors } from '../../diagnostics.js';
import { Redactor } from '../../report/reporter.js';
import { loadOptionsFrom, type TemplateFlags } from './template-flags.js';

/** Returns the exit code: 0 valid, 1 invalid. */
export async function validateCommand(path: string, flags: TemplateFlags): Promise<number> {
  const { diagnostics, sensitiveValues } = await validate(path, loadOptionsFrom(flags));
  const redactor = new Redactor();
  redactor.add(...sensitiveValues);
  for (const d of diagnostics) process.stderr.write(redactor.redact(formatDiagnostic(d)) + '\n');
  if (hasErrors(diagnostics)) {
    process.stderr.write(`${summarize(diagnostics)}: the template is not valid.\n`);
    return 1;
  }
  process.stdout.write(flags.syntaxOnly ? 'Syntax-only check passed. Everything looks okay.\n' : 'The configuration is valid.\n');
  return 0;
}
