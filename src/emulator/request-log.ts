// <state>/requests.jsonl: one RequestLogEntry per request, appended when the answer is sent.

import { appendFileSync, mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { layout, type RequestLogEntry } from './state-layout.js';
import { parseRequestUrl } from './http-kit.js';

export interface RequestLogger {
  /** Starts timing `req`; the entry is written when `res` finishes. `operation` may be set later via the returned setter. */
  track(req: IncomingMessage, res: ServerResponse): (operation: string) => void;
}

/** A logger appending to the state directory's request log. */
export function createRequestLogger(stateDir: string): RequestLogger {
  const file = layout.requestLog(stateDir);
  mkdirSync(dirname(file), { recursive: true });
  return {
    track(req, res) {
      const started = process.hrtime.bigint();
      const time = new Date().toISOString();
      let operation: string | undefined;
      res.on('finish', () => {
        const url = parseRequestUrl(req.url);
        const entry: RequestLogEntry = {
          time,
          method: req.method ?? 'GET',
          path: url.pathname,
          apiVersion: url.searchParams.get('api-version') ?? undefined,
          operation,
          status: res.statusCode,
          durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        };
        // Sync append keeps entries whole and ordered; requests are small and few.
        appendFileSync(file, JSON.stringify(entry) + '\n');
      });
      return (op) => {
        operation = op;
      };
    },
  };
}
