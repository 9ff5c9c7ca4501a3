// One fuzz worker process: validates each case it is sent, in-process through the exported API,
// and answers how it ended.and the CPU time it took (a loaded machine does not make a case slow).
// A case that hangs is ended by the pool, which kills this process.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '../../src/validate.js';
import { AzchrootError } from '../../src/errors.js';
import { classifyDiagnostics, type CaseMessage, type CaseResult } from './fuzz-outcome.js';

const dir = mkdtempSync(join(tmpdir(), `azchroot-fuzz-${process.pid}-`));

process.on('message', async (m: CaseMessage | 'stop') => {
  if (m === 'stop') {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
  const caseDir = join(dir, String(m.id));
  rmSync(caseDir, { recursive: true, force: true });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(caseDir);
  writeFileSync(join(caseDir, m.fileName), Buffer.from(m.data));
  const started = process.cpuUsage();
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
  const cpu = process.cpuUsage(started);
  result.ms = (cpu.user + cpu.system) / 1000;
  rmSync(caseDir, { recursive: true, force: true });
  process.send?.(result);
});
