// Access tokens: opaque random strings the emulator remembers with their expiry. Both IMDS and the
// Entra ID endpoints issue them; ARM accepts any unexpired one. Tokens live in memory only, so a
// restarted emulator rejects tokens of the previous run (clients then fetch a new one).

import { randomBytes } from 'node:crypto';

export interface IssuedToken {
  token: string;
  clientId: string;
  resource: string;
  issuedAt: number;
  expiresAt: number;
}

export type TokenCheck = { ok: true; token: IssuedToken } | { ok: false; reason: 'missing' | 'unknown' | 'expired'; expiredAt?: number };

export interface TokenStore {
  issue(clientId: string, resource: string): IssuedToken;
  /** Checks an Authorization header value. */
  check(authorization: string | undefined): TokenCheck;
}

/** A store issuing tokens valid for `lifetimeSeconds`. */
export function createTokenStore(lifetimeSeconds: number, now: () => number = Date.now): TokenStore {
  const tokens = new Map<string, IssuedToken>();
  return {
    issue(clientId, resource) {
      const issuedAt = now();
      // Drop expired tokens so a long-running emulator does not grow without bound.
      for (const [k, t] of tokens) if (t.expiresAt <= issuedAt) tokens.delete(k);
      const token: IssuedToken = {
        token: `azchroot.${randomBytes(24).toString('base64url')}`,
        clientId,
        resource,
        issuedAt,
        expiresAt: issuedAt + lifetimeSeconds * 1000,
      };
      tokens.set(token.token, token);
      return token;
    },
    check(authorization) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!m?.[1]) return { ok: false, reason: 'missing' };
      const found = tokens.get(m[1]);
      if (!found) return { ok: false, reason: 'unknown' };
      if (found.expiresAt <= now()) return { ok: false, reason: 'expired', expiredAt: found.expiresAt };
      return { ok: true, token: found };
    },
  };
}
