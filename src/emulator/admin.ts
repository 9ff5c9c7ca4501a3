// The admin endpoint under /_emulator on the ARM port: fault rules (GET/POST/DELETE
// /_emulator/faults), the Entra directory (GET/POST/DELETE /_emulator/directory: app registrations,
// user-assigned identities, GitHub Actions jobs) and SAS downloads (/_emulator/blobs/<blobId>?sig=…). No token needed, but
// only loopback clients are served.

import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRegistry } from './faults.js';
import { checkEntries, type Directory } from './identity/directory.js';
import { ArmError, isLoopback, parseJsonBody, readBody, type HttpAnswer } from './http-kit.js';
import type { ResourceStore } from './resource-store.js';
import { layout } from './state-layout.js';

export interface AdminDeps {
  stateDir: string;
  faults: FaultRegistry;
  store: ResourceStore;
  directory: Directory;
}

/** Handles /_emulator/…; returns undefined when it already streamed the answer itself. */
export async function handleAdmin(deps: AdminDeps, req: IncomingMessage, res: ServerResponse, url: URL, setOp: (op: string) => void): Promise<HttpAnswer | undefined> {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname.replace(/\/$/, '');
  if (!isLoopback(req.socket.remoteAddress)) {
    setOp('admin.denied');
    throw new ArmError(403, 'Forbidden', `the admin endpoint only serves loopback clients, not ${req.socket.remoteAddress ?? 'unknown'}`);
  }
  if (path === '/_emulator/faults') {
    setOp('admin.faults');
    if (method === 'GET') return { status: 200, body: { faults: deps.faults.list() } };
    if (method === 'DELETE') {
      deps.faults.clear();
      return { status: 204 };
    }
    if (method === 'POST') {
      const body = parseJsonBody(await readBody(req));
      const rules = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { faults?: unknown }).faults) ? (body as { faults: unknown[] }).faults : [body];
      try {
        deps.faults.add(rules as never[]);
      } catch (e) {
        throw new ArmError(400, 'InvalidParameter', (e as Error).message);
      }
      return { status: 200, body: { faults: deps.faults.list() } };
    }
    throw new ArmError(405, 'MethodNotAllowed', `use GET, POST or DELETE on /_emulator/faults, not ${method}`);
  }
  if (path === '/_emulator/directory') {
    setOp('admin.directory');
    if (method === 'GET') return { status: 200, body: deps.directory.entries() };
    if (method === 'DELETE') {
      deps.directory.clear();
      return { status: 204 };
    }
    if (method === 'POST') {
      try {
        deps.directory.add(checkEntries(parseJsonBody(await readBody(req))));
      } catch (e) {
        throw new ArmError(400, 'InvalidParameter', (e as Error).message);
      }
      return { status: 200, body: deps.directory.entries() };
    }
    throw new ArmError(405, 'MethodNotAllowed', `use GET, POST or DELETE on /_emulator/directory, not ${method}`);
  }
  const blob = /^\/_emulator\/blobs\/([A-Za-z0-9._-]+)$/.exec(path)?.[1];
  if (blob && method === 'GET') {
    setOp('admin.blobDownload');
    const sig = url.searchParams.get('sig');
    const owner = [...deps.store.list('Microsoft.Compute/disks'), ...deps.store.list('Microsoft.Compute/snapshots')].find((r) => {
      const access = r.body._access as { sig?: string; expiresAt?: number } | undefined;
      return r.blobId === blob && access?.sig === sig && (access?.expiresAt ?? 0) > Date.now();
    });
    if (!owner) throw new ArmError(403, 'AuthenticationFailed', `the SAS for blob ${blob} is unknown, revoked or expired; call beginGetAccess again`);
    const stream = createReadStream(layout.blob(deps.stateDir, blob));
    stream.once('open', () => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'x-ms-blob-type': 'PageBlob' });
      stream.pipe(res);
    });
    stream.once('error', (e) => {
      if (!res.headersSent) res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'BlobNotFound', message: `blob ${blob}: ${e.message}` } }));
    });
    return undefined;
  }
  setOp('admin.unknown');
  throw new ArmError(404, 'NotFound', `no admin endpoint ${method} ${path}; known: /_emulator/faults, /_emulator/directory, /_emulator/blobs/<id>`);
}
