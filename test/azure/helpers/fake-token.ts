// An unsigned JWT-shaped access token carrying the claims the adapters read.

/** `header.payload.signature` with the given claims (the signature is not real). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}.c2ln`;
}
