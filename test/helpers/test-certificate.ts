// A self-signed client certificate for sign-in tests, made with the openssl CLI in a temp dir:
// PEM (key + certificate, as client_cert_path takes it), the certificate alone (what an app
// registration holds) and a PKCS#12 bundle with a password.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { execa } from 'execa';
import type { AfterHook } from './temp-dir.js';
import { deferStack } from './temp-dir.js';

export interface TestCertificate {
  dir: string;
  /** Certificate only (PEM). */
  certPem: string;
  /** Private key + certificate (PEM), at pemPath. */
  pemPath: string;
  /** PKCS#12 bundle protected by `password`, at pfxPath. */
  pfxPath: string;
  password: string;
  key: KeyObject;
}

/** Makes a certificate for subject `cn`; its directory is removed after test `t`. */
export async function makeTestCertificate(t: AfterHook, cn = 'azchroot-test-app'): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'azc-cert-'));
  deferStack(t)(() => rm(dir, { recursive: true, force: true }));
  const password = 'pfx-pass-7c1d';
  const run = (args: string[]) => execa('openssl', args, { cwd: dir, env: { PFX_PASS: password } });
  await run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', `/CN=${cn}`]);
  await run(['pkcs12', '-export', '-inkey', 'key.pem', '-in', 'cert.pem', '-out', 'cert.pfx', '-passout', 'env:PFX_PASS']);
  const keyPem = await readFile(join(dir, 'key.pem'), 'utf8');
  const certPem = await readFile(join(dir, 'cert.pem'), 'utf8');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, 'both.pem'), keyPem + certPem);
  return { dir, certPem, pemPath: join(dir, 'both.pem'), pfxPath: join(dir, 'cert.pfx'), password, key: createPrivateKey(keyPem) };
}
