// <state>/requests.jsonl: one RequestLogEntry per request, appended when the answer is sent; with
// recordTraffic (tests) also <state>/traffic.jsonl: each request and answer with their JSON bodies,
// which test/openapi checks against Azure's API definitions.

import { appendFileSync, mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { layout, type RequestLogEntry } from './state-layout.js';
import { parseRequestUrl, requestBodies } from './http-kit.js';

export interface RequestLogger {
  /** Starts timing `req`; the entry is written when `res` finishes. `operation` may be set later via the returned setter. */
  track(req: IncomingMessage, res: ServerResponse): (operation: string) => void;
}

/** A logger appending to the state directory's request log. */
export function createRequestLogger(stateDir: string, recordTraffic = false): RequestLogger {
  const file = layout.requestLog(stateDir);
  mkdirSync(dirname(file), { recursive: true });
  return {
    track(req, res) {
      const started = process.hrtime.bigint();
      const time = new Date().toISOString();
      let operation: string | undefined;
      const sent: Buffer[] = [];
      if (recordTraffic) {
        const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
        const write = res.write.bind(res) as (...a: unknown[]) => boolean;
        const keep = (chunk: unknown): void => {
          if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) sent.push(Buffer.from(chunk));
        };
        res.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), write(chunk, ...rest))) as typeof res.write;
        res.end = ((chunk?: unknown, ...rest: unknown[]) => (typeof chunk !== 'function' && keep(chunk), end(chunk, ...rest))) as typeof res.end;
      }
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
        // ARM traffic only: sign-in answers hold tokens.
        if (recordTraffic && !/^(entra|imds|github|admin)\./.test(operation ?? '')) {
          const json = (b: Buffer | undefined): unknown => {
            if (!b || b.length === 0) return undefined;
            try {
              return JSON.parse(b.toString('utf8'));
            } catch {
              return undefined;
            }
          };
          const traffic = { ...entry, query: url.search, requestBody: json(requestBodies.get(req)), responseBody: json(Buffer.concat(sent)) };
          appendFileSync(layout.traffic(stateDir), JSON.stringify(traffic) + '\n');
        }
      });
      return (op) => {
        operation = op;
      };
    },
  };
}
