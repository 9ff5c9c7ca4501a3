// Reading a few claims out of an access token, to tell the user which identity a build runs as.

export interface TokenClaims {
  oid?: string;
  tid?: string;
  appid?: string;
}

/** The oid/tid/appid claims of a JWT access token; empty when the token is not a JWT. */
export function tokenClaims(token: string): TokenClaims {
  const payload = token.split('.')[1];
  if (!payload || token.split('.').length !== 3) return {};
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const pick = (k: string): string | undefined => (typeof claims[k] === 'string' ? (claims[k] as string) : undefined);
    return { oid: pick('oid'), tid: pick('tid'), appid: pick('appid') ?? pick('azp') };
  } catch {
    return {};
  }
}
