// Small HTTP helpers shared by the emulator's servers: body reading, JSON answers and the
// ARM error shape {"error":{"code","message"}}.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error the ARM server answers with: HTTP status plus Azure's error code and message. */
export class ArmError extends Error {
  readonly status: number;
  readonly code: string;
  readonly target?: string;
  readonly headers: Record<string, string>;
  readonly details?: Array<Record<string, unknown>>;
  constructor(status: number, code: string, message: string, extra: { target?: string; headers?: Record<string, string>; details?: Array<Record<string, unknown>> } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.target = extra.target;
    this.headers = extra.headers ?? {};
    this.details = extra.details;
    Object.defineProperty(this, 'name', { value: 'ArmError', enumerable: false });
  }
}

/** What a handler answers: status, optional JSON body and headers. */
export interface HttpAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** 404 ResourceNotFound for an ARM resource id. */
export function notFound(type: string, id: string): ArmError {
  const name = id.split('/').pop() ?? id;
  return new ArmError(404, 'ResourceNotFound', `The Resource '${type}/${name}' under resource id '${id}' was not found.`);
}

/** 400 InvalidParameter naming the offending property. */
export function invalidParameter(target: string, message: string): ArmError {
  return new ArmError(400, 'InvalidParameter', message, { target });
}

/** 409 OperationNotAllowed. */
export function notAllowed(message: string): ArmError {
  return new ArmError(409, 'OperationNotAllowed', message);
}

/** Bodies read by readBody, for the traffic recorder (request-log.ts). */
export const requestBodies = new WeakMap<IncomingMessage, Buffer>();

/** Reads the whole request body (limit 16 MiB). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > 16 * 1024 * 1024) throw new ArmError(413, 'RequestEntityTooLarge', `request body is larger than 16 MiB`);
    chunks.push(buf);
  }
  const body = Buffer.concat(chunks);
  requestBodies.set(req, body);
  return body;
}

/** Parses a JSON request body; an empty body is undefined. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new ArmError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: ${(e as Error).message}`);
  }
}

/** Writes a JSON (or empty) answer. */
export function send(res: ServerResponse, answer: HttpAnswer): void {
  const headers: Record<string, string> = { ...(answer.headers ?? {}) };
  if (answer.body === undefined) {
    headers['Content-Length'] = '0';
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(answer.body);
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(text));
  res.writeHead(answer.status, headers);
  res.end(text);
}

/** The ARM error answer for an ArmError. */
export function armErrorAnswer(err: ArmError): HttpAnswer {
  const error: Record<string, unknown> = { code: err.code, message: err.message };
  if (err.target) error.target = err.target;
  if (err.details) error.details = err.details;
  return { status: err.status, body: { error }, headers: err.headers };
}

/** True for 127.0.0.0/8 and ::1 (also as IPv4-mapped IPv6). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || a.startsWith('127.');
}

/** Value as a plain object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Value as a non-empty string, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Parses a request target, collapsing `//` first (a leading `//` would otherwise read as a host name). */
export function parseRequestUrl(rawUrl: string | undefined, base = 'https://emulator'): URL {
  const raw = rawUrl ?? '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  return new URL(path.replace(/\/{2,}/g, '/') + (q < 0 ? '' : raw.slice(q)), base);
}
