// Access tokens as Entra ID issues them: RS256 JWTs signed with the emulator's Entra key (published
// at the OpenID configuration's jwks_uri), with Azure's claims. ARM checks them as Azure does:
// signature, time window, audience and the subscription's tenant. Tokens are self-contained, so
// they stay valid across an emulator restart (the key is kept in the state directory).

import { randomBytes } from 'node:crypto';
import { decodeJwt, epochSeconds, signJwt, verifyJwtSignature } from './identity/jwt.js';
import type { SigningKey } from './identity/signing-keys.js';

/** Audiences ARM accepts (it lists them in its wrong-audience message). */
export const ARM_AUDIENCES = ['https://management.core.windows.net/', 'https://management.core.windows.net', 'https://management.azure.com/', 'https://management.azure.com'];

export interface TokenSubject {
  /** appid/azp: the application (client) id, or the managed identity's client id. */
  clientId: string;
  /** oid/sub: the service principal's object id. */
  objectId: string;
  /** The resource (audience) the token is for. */
  resource: string;
  /** appidacr: 1 = client secret, 2 = certificate or assertion (and managed identities). */
  authMethod: 'secret' | 'certificate';
  /** xms_mirid: the managed identity's resource id. */
  managedIdentityResourceId?: string;
  /** Token version: v1 (iss sts.windows.net) unless the resource takes v2 tokens. */
  version?: 1 | 2;
}

export interface IssuedToken {
  token: string;
  claims: Record<string, unknown>;
  issuedAt: number;
  expiresAt: number;
}

export type TokenCheck =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' | 'notYetValid' | 'audience' | 'tenant'; detail?: string; expiredAt?: number };

export interface TokenService {
  issue(subject: TokenSubject): IssuedToken;
  /** Checks an Authorization header value for ARM. */
  check(authorization: string | undefined): TokenCheck;
  tenantId: string;
}

/** Issuer of v1 / v2 tokens of `tenantId`. */
export function tokenIssuer(tenantId: string, version: 1 | 2): string {
  return version === 2 ? `https://login.microsoftonline.com/${tenantId}/v2.0` : `https://sts.windows.net/${tenantId}/`;
}

/** A token service of `tenantId`, issuing tokens valid for `lifetimeSeconds`. */
export function createTokenService(tenantId: string, key: SigningKey, lifetimeSeconds: number, clockSkewSeconds = 300, now: () => number = Date.now): TokenService {
  return {
    tenantId,
    issue(s) {
      const issuedAt = now();
      const expiresAt = issuedAt + lifetimeSeconds * 1000;
      const version = s.version ?? 1;
      const iat = epochSeconds(issuedAt);
      const acr = s.authMethod === 'secret' ? '1' : '2';
      const claims: Record<string, unknown> = {
        aud: s.resource,
        iss: tokenIssuer(tenantId, version),
        iat,
        nbf: iat,
        exp: epochSeconds(expiresAt),
        aio: randomBytes(18).toString('base64url'),
        ...(version === 1 ? { appid: s.clientId, appidacr: acr, idp: tokenIssuer(tenantId, 1) } : { azp: s.clientId, azpacr: acr }),
        idtyp: 'app',
        oid: s.objectId,
        rh: `0.${randomBytes(12).toString('base64url')}.`,
        sub: s.objectId,
        tid: tenantId,
        uti: randomBytes(16).toString('base64url'),
        ver: version === 1 ? '1.0' : '2.0',
        ...(s.managedIdentityResourceId ? { xms_mirid: s.managedIdentityResourceId } : {}),
        xms_tcdt: 1700000000,
      };
      const token = signJwt(claims, key.privateKey, { kid: key.kid, x5t: key.kid });
      return { token, claims, issuedAt, expiresAt };
    },
    check(authorization) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!m?.[1]) return { ok: false, reason: 'missing' };
      const jwt = decodeJwt(m[1]);
      if (!jwt) return { ok: false, reason: 'malformed' };
      if (jwt.header.kid !== key.kid || !verifyJwtSignature(jwt, key.publicKey)) return { ok: false, reason: 'signature' };
      const c = jwt.claims;
      const t = now() / 1000;
      // Azure allows five minutes of clock skew (clockSkewSeconds).
      if (typeof c.exp !== 'number' || c.exp + clockSkewSeconds <= t) return { ok: false, reason: 'expired', expiredAt: Number(c.exp) * 1000 };
      if (typeof c.nbf === 'number' && c.nbf - clockSkewSeconds > t) return { ok: false, reason: 'notYetValid' };
      if (!ARM_AUDIENCES.includes(String(c.aud))) return { ok: false, reason: 'audience', detail: String(c.aud) };
      if (c.iss !== tokenIssuer(tenantId, 1) && c.iss !== tokenIssuer(tenantId, 2)) return { ok: false, reason: 'tenant', detail: String(c.iss) };
      return { ok: true, claims: c };
    },
  };
}
