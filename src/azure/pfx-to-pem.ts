// client_cert_path is a PKCS#12 bundle (as in Packer's plugin); @azure/identity wants PEM.
// Node cannot export keys from a .pfx, so openssl converts it (password via the environment, never argv).

import { readFile } from 'node:fs/promises';
import { AzchrootError, CommandError } from '../errors.js';
import { runArgv } from '../host/exec.js';

/** PEM text (private key + certificates) of the PKCS#12 file at `path`; a file already in PEM is returned as is. */
export async function pfxToPem(path: string, password = '', signal?: AbortSignal): Promise<string> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (err) {
    throw new AzchrootError('AZC_AUTH_CERT', `cannot read client_cert_path ${path}: ${(err as Error).message}`, 'user', {
      hint: 'Point client_cert_path at a readable PKCS#12 (.pfx) file.',
      cause: err,
    });
  }
  if (raw.includes('-----BEGIN')) return raw.toString('utf8');
  const env = { ...process.env, AZCHROOT_PFX_PASSWORD: password };
  const base = ['openssl', 'pkcs12', '-in', path, '-nodes', '-passin', 'env:AZCHROOT_PFX_PASSWORD'];
  let lastError: unknown;
  // OpenSSL 3 refuses the RC2/3DES encryption of older .pfx files unless -legacy is given.
  for (const extra of [[], ['-legacy']]) {
    try {
      const { stdout } = await runArgv([...base, ...extra], { env, signal });
      if (stdout.includes('PRIVATE KEY')) return stdout;
      lastError = new Error('the file holds no private key');
    } catch (err) {
      lastError = err;
    }
  }
  const detail = lastError instanceof CommandError ? lastError.output.trim().split('\n')[0] ?? lastError.message : (lastError as Error)?.message;
  throw new AzchrootError('AZC_AUTH_CERT', `cannot read the certificate and key in client_cert_path ${path}: ${detail}`, 'user', {
    hint: 'client_cert_path must be a PKCS#12 (.pfx) file with the private key; check client_cert_password.',
    cause: lastError,
  });
}
