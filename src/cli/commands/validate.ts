// `azchroot validate`: load, check and report every problem at once. Never calls Azure or IMDS.

import { validate } from '../../validate.js';
import { Redactor } from '../../report/reporter.js';
import { formatDiagnostic, hasErrors } from '../../diagnostics.js';
import { machineRow } from '../../report/machine-readable.js';
import { printDiagnostics } from '../render-error.js';
import { loadOptionsFrom, type TemplateFlags } from './template-flags.js';

/** Returns the exit code: 0 valid, 1 invalid. */
export async function validateCommand(path: string, flags: TemplateFlags): Promise<number> {
  const { diagnostics, sensitiveValues } = await validate(path, loadOptionsFrom(flags));
  const redactor = new Redactor();
  redactor.add(...sensitiveValues);
  if (flags.machineReadable) {
    // As Packer: a row per problem; nothing on success but the syntax-only message.
    const row = (type: 'say' | 'error', text: string) => process.stdout.write(`${redactor.redact(machineRow(new Date(), '', 'ui', [type, text]))}\n`);
    // validate() returns them in reading order.
    for (const d of diagnostics) row(d.severity === 'error' ? 'error' : 'say', formatDiagnostic(d));
    if (hasErrors(diagnostics)) return 1;
    if (flags.syntaxOnly) row('say', 'Syntax-only check passed. Everything looks okay.');
    return 0;
  }
  const invalid = printDiagnostics(diagnostics, { write: (t) => process.stderr.write(t), redact: (t) => redactor.redact(t), verdict: 'the template is not valid.' });
  if (invalid) return 1;
  process.stdout.write(flags.syntaxOnly ? 'Syntax-only check passed. Everything looks okay.\n' : 'The configuration is valid.\n');
  return 0;
}
