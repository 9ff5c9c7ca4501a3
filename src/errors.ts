// The error hierarchy. Every failure a user can cause or meet is an AzchrootError with a stable
// code; only src/cli/render-error.ts prints them. Library code never calls process.exit.

import type { Diagnostic } from './diagnostics.js';

export type ErrorSource = 'user' | 'azure' | 'host' | 'internal';

const brand = Symbol.for('azchroot.error');

export interface AzchrootErrorOptions {
  /** What the user can do about it, one or two sentences. */
  hint?: string;
  cause?: unknown;
  /** Exit code the CLI uses: 1 build/validation failure, 2 usage or template error. */
  exitCode?: number;
}

/** Base class: `code` is stable (AZC_<AREA>_<WORD>), `message` says what happened and the value involved. */
export class AzchrootError extends Error {
  readonly [brand] = true;
  readonly code: string;
  readonly source: ErrorSource;
  readonly hint?: string;
  readonly exitCode: number;

  constructor(code: string, message: string, source: ErrorSource, options: AzchrootErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.source = source;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false });
  }

  static is(value: unknown): value is AzchrootError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

/** Bad command-line usage (unknown flag, missing argument). Exit code 2. */
export class UsageError extends AzchrootError {
  constructor(message: string, options: AzchrootErrorOptions = {}) {
    super('AZC_USAGE', message, 'user', { exitCode: 2, ...options });
  }
}

/** A template that cannot be loaded or is invalid: carries every diagnostic found. Exit code 2 for build, 1 for validate. */
export class TemplateError extends AzchrootError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[], options: AzchrootErrorOptions = {}) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    super('AZC_TEMPLATE', `the template has ${errors} error(s)`, 'user', { exitCode: 2, ...options });
    this.diagnostics = diagnostics;
  }
}

/** An Azure API call failed. `azureCode` is Azure's error code (ResourceNotFound, OperationNotAllowed...). */
export class AzureError extends AzchrootError {
  readonly azureCode?: string;
  readonly statusCode?: number;
  constructor(message: string, details: { azureCode?: string; statusCode?: number } & AzchrootErrorOptions = {}) {
    super('AZC_AZURE', message, 'azure', details);
    this.azureCode = details.azureCode;
    this.statusCode = details.statusCode;
  }
}

/** A host or chroot command failed. `output` is the tail of its combined output. */
export class CommandError extends AzchrootError {
  readonly command: string;
  readonly exitStatus?: number;
  readonly output: string;
  constructor(message: string, details: { command: string; exitStatus?: number; output?: string } & AzchrootErrorOptions) {
    super('AZC_COMMAND', message, 'host', details);
    this.command = details.command;
    this.exitStatus = details.exitStatus;
    this.output = details.output ?? '';
  }
}

/** The host is not fit to build (not Linux, not root, a tool missing, no IMDS). */
export class HostError extends AzchrootError {
  constructor(code: string, message: string, options: AzchrootErrorOptions = {}) {
    super(code, message, 'host', options);
  }
}

/** The user interrupted the build (SIGINT/SIGTERM). Shown softly. */
export class CancelledError extends AzchrootError {
  constructor(message = 'the build was interrupted', options: AzchrootErrorOptions = {}) {
    super('AZC_CANCELLED', message, 'user', { exitCode: 1, ...options });
  }
}

/** Should never happen: a bug in azchroot. The CLI prints a bug-report hint. */
export class InternalError extends AzchrootError {
  constructor(message: string, options: AzchrootErrorOptions = {}) {
    super('AZC_INTERNAL', message, 'internal', options);
  }
}

/** True for Azure's "it does not exist" answers. */
export function isNotFound(error: unknown): boolean {
  if (!AzchrootError.is(error)) return false;
  const e = error as AzureError;
  return e.statusCode === 404 || /NotFound/i.test(e.azureCode ?? '');
}

/** Runs a delete, treating "not found" as done. */
export async function deleteIfExists(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  if (AzchrootError.is(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}
