// The emulator's CA and server certificate, made once with the openssl CLI and cached in
// <state>/tls. Clients trust ca.pem; the leaf names every host the clients use (loopback and the
// Azure host names a network namespace maps to loopback).

import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { layout } from './state-layout.js';

export interface TlsMaterial {
  caCertPath: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export const SERVER_SANS = [
  'DNS:localhost',
  'IP:127.0.0.1',
  'IP:::1',
  'DNS:management.azure.com',
  'DNS:login.microsoftonline.com',
  'DNS:login.windows.net',
  'IP:169.254.169.254',
];

const FILES = ['ca.pem', 'ca-key.pem', 'server.pem', 'server-key.pem'] as const;

/** Returns the cached certificates of `stateDir`, generating them when any file is missing. */
export async function ensureTls(stateDir: string): Promise<TlsMaterial> {
  const dir = layout.tlsDir(stateDir);
  if (!FILES.every((f) => existsSync(join(dir, f)))) await generate(dir);
  return {
    caCertPath: join(dir, 'ca.pem'),
    ca: readFileSync(join(dir, 'ca.pem')),
    cert: readFileSync(join(dir, 'server.pem')),
    key: readFileSync(join(dir, 'server-key.pem')),
  };
}

async function generate(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  // Build in a temp dir next to the target, then rename file by file: a crash never leaves a half set.
  const work = mkdtempSync(join(dir, '.gen-'));
  try {
    const ossl = (args: string[]) => execa('openssl', args, { cwd: work });
    const ecKey = (out: string) => ossl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', out]);
    await ecKey('ca-key.pem');
    await ossl([
      'req', '-x509', '-new', '-key', 'ca-key.pem', '-sha256', '-days', '3650',
      '-subj', '/CN=azchroot emulator CA',
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-out', 'ca.pem',
    ]);
    await ecKey('server-key.pem');
    await ossl(['req', '-new', '-key', 'server-key.pem', '-subj', '/CN=localhost', '-out', 'server.csr']);
    writeFileSync(
      join(work, 'server.ext'),
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        `subjectAltName=${SERVER_SANS.join(',')}`,
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid',
      ].join('\n') + '\n',
    );
    await ossl([
      'x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-set_serial', `0x${Date.now().toString(16)}`,
      '-days', '825', '-sha256', '-extfile', 'server.ext', '-out', 'server.pem',
    ]);
    for (const f of FILES) renameSync(join(work, f), join(dir, f));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
