// Reporter combinators: a redacting front for any reporter, and a fan-out to several at once
// (the task view plus a debug log file, for instance).

import { Redactor, reporterForBuild, type Reporter } from './reporter.js';

/** Wraps `inner` so that every message and output line is redacted first. */
export function createRedactingReporter(inner: Reporter, redactor: Redactor): Reporter {
  const r = (text: string): string => redactor.redact(text);
  return {
    say: (m, step) => inner.say(r(m), step),
    warn: (m, step) => inner.warn(r(m), step),
    error: (m, step) => inner.error(r(m), step),
    debug: (m, step) => inner.debug(r(m), step),
    output: (line, stream, step) => inner.output(r(line), stream, step),
    forBuild: (build) => createRedactingReporter(reporterForBuild(inner, build), redactor),
  };
}

/** A redactor that knows `secrets` (values shorter than 3 characters are ignored, as in Redactor). */
export function redactorFor(secrets: readonly string[]): Redactor {
  const redactor = new Redactor();
  redactor.add(...secrets);
  return redactor;
}

/** Sends every call to each reporter in turn. */
export function fanOut(...reporters: Reporter[]): Reporter {
  return {
    say: (m, step) => reporters.forEach((x) => x.say(m, step)),
    warn: (m, step) => reporters.forEach((x) => x.warn(m, step)),
    error: (m, step) => reporters.forEach((x) => x.error(m, step)),
    debug: (m, step) => reporters.forEach((x) => x.debug(m, step)),
    output: (line, stream, step) => reporters.forEach((x) => x.output(line, stream, step)),
    forBuild: (build) => fanOut(...reporters.map((x) => reporterForBuild(x, build))),
  };
}
