// Compact JWS (RS256) signing and checking with node:crypto: the access tokens the emulator's
// Entra ID and IMDS issue, the GitHub Actions ID tokens it issues, and the client assertions it checks.

import { createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;
export type JwtHeader = { alg?: string; typ?: string; kid?: string; x5t?: string; 'x5t#S256'?: string; x5c?: string[] } & Record<string, unknown>;

export interface DecodedJwt {
  header: JwtHeader;
  claims: JwtClaims;
  signingInput: string;
  signature: Buffer;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs `claims` with RS256 under `header` (alg and typ are filled in). */
export function signJwt(claims: JwtClaims, key: KeyObject, header: JwtHeader = {}): string {
  const input = `${b64({ typ: 'JWT', alg: 'RS256', ...header })}.${b64(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${signature}`;
}

/** Splits and parses a compact JWS; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (!header || typeof header !== 'object' || !claims || typeof claims !== 'object' || Array.isArray(claims)) return undefined;
    return { header: header as JwtHeader, claims: claims as JwtClaims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2]!, 'base64url') };
  } catch {
    return undefined;
  }
}

/** True when the RS256 (or PS256) signature of `jwt` verifies with `key` (a public key, certificate or JWK). */
export function verifyJwtSignature(jwt: DecodedJwt, key: KeyObject): boolean {
  const alg = jwt.header.alg;
  if (alg !== 'RS256' && alg !== 'PS256') return false;
  try {
    const verifier = createVerify('RSA-SHA256').update(jwt.signingInput);
    return alg === 'PS256'
      ? verifier.verify({ key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }, jwt.signature)
      : verifier.verify(key, jwt.signature);
  } catch {
    return false;
  }
}

/** The public JWK (kty, n, e) of an RSA key. */
export function publicJwk(key: KeyObject): { kty: string; n: string; e: string } {
  const pub = key.type === 'public' ? key : createPublicKey(key);
  const jwk = pub.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  return { kty: jwk.kty, n: jwk.n, e: jwk.e };
}

/** Seconds since the epoch. */
export const epochSeconds = (ms: number): number => Math.floor(ms / 1000);
