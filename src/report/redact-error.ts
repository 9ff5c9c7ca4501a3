// Errors leave the library and get printed by the CLI, so the text they carry (command lines with
// {{.Vars}}, output tails) must be redacted like reporter output.

import { AzchrootError, CommandError } from '../errors.js';
import type { Redactor } from './reporter.js';

/** Returns `err` with secrets replaced in its message (and command/output for CommandError); others pass through. */
export function redactError(err: unknown, redactor: Redactor): unknown {
  if (err instanceof CommandError) {
    const redacted = new CommandError(redactor.redact(err.message), {
      command: redactor.redact(err.command),
      exitStatus: err.exitStatus,
      output: redactor.redact(err.output),
      hint: err.hint,
      exitCode: err.exitCode,
      cause: err.cause,
    });
    return redacted;
  }
  if (AzchrootError.is(err) && redactor.redact(err.message) !== err.message) {
    return new AzchrootError(err.code, redactor.redact(err.message), err.source, { hint: err.hint, exitCode: err.exitCode, cause: err.cause });
  }
  return err;
}
