// The RSA keys the emulator signs with, made in-process with node:crypto and kept in
// <state>/keys so tokens stay valid across restarts (as Azure's do): one for Entra ID (access
// tokens, published at the OpenID configuration's jwks_uri) and one for the GitHub Actions token
// service the emulator also plays (published at its issuer's jwks_uri).

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTextAtomic } from '../json-files.js';
import { publicJwk } from './jwt.js';

export interface SigningKey {
  /** Key id, as Entra's: the base64url SHA-1 of the public key (also sent as x5t). */
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface SigningKeys {
  entra: SigningKey;
  github: SigningKey;
}

function load(dir: string, name: string): SigningKey {
  const file = join(dir, `${name}-signing-key.pem`);
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeTextAtomic(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
  }
  const privateKey = createPrivateKey(readFileSync(file));
  const publicKey = createPublicKey(privateKey);
  const kid = createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
  return { kid, privateKey, publicKey };
}

/** The keys of state directory `keysDir`, generated on first use. */
export function loadSigningKeys(keysDir: string): SigningKeys {
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  return { entra: load(keysDir, 'entra'), github: load(keysDir, 'github') };
}

/** A JWKS document publishing `key` (RS256, signature use). */
export function jwks(key: SigningKey, issuer?: string): { keys: Record<string, unknown>[] } {
  return { keys: [{ ...publicJwk(key.publicKey), use: 'sig', alg: 'RS256', kid: key.kid, x5t: key.kid, ...(issuer ? { issuer } : {}) }] };
}
