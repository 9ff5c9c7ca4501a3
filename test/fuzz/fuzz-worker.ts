// One fuzz worker thread: validates each case it is sent, in-process through the exported API,
// and answers how it ended. A case that hangs is ended by the pool (which terminates this thread).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { validate } from '../../src/validate.js';
import { AzchrootError } from '../../src/errors.js';
import { classifyDiagnostics, type CaseMessage, type CaseResult } from './fuzz-outcome.js';

const dir = mkdtempSync(join(tmpdir(), `azchroot-fuzz-${process.pid}-`));

parentPort?.on('message', async (m: CaseMessage | 'stop') => {
  if (m === 'stop') {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
  const caseDir = join(dir, String(m.id));
  rmSync(caseDir, { recursive: true, force: true });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(caseDir);
  writeFileSync(join(caseDir, m.fileName), Buffer.from(m.data));
  const started = performance.now();
  let result: CaseResult;
  try {
    const r = await validate(m.fileName, { cwd: caseDir, env: {}, now: new Date('2024-01-02T03:04:05Z') });
    result = { id: m.id, ms: 0, ...classifyDiagnostics(r.diagnostics) };
  } catch (err) {
    // validate reports bad input as diagnostics; a thrown AzchrootError is a clean (exit 1/2) failure.
    result = AzchrootError.is(err) && !/Maximum call stack|\n\s+at /.test(err.message)
      ? { id: m.id, ms: 0, outcome: 'error', message: err.message }
      : { id: m.id, ms: 0, outcome: 'internal', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  result.ms = performance.now() - started;
  rmSync(caseDir, { recursive: true, force: true });
  parentPort?.postMessage(result);
});
