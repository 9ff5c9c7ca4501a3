// Checking a client_assertion as Entra ID does: a JWT either signed with a certificate registered
// on the app (iss = sub = client id, certificate found by its x5t / x5t#S256 thumbprint), or a
// federated one (issuer + subject + audience matching one of the app's federated credentials,
// signed by that issuer). Each refusal carries Entra's AADSTS code.

import { createHash, X509Certificate } from 'node:crypto';
import type { AppRegistration } from './directory.js';
import { decodeJwt, verifyJwtSignature, type DecodedJwt } from './jwt.js';
import type { SigningKey } from './signing-keys.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

export type AssertionCheck = { ok: true; kind: 'certificate' | 'federated' } | { ok: false; status: number; error: string; code: number; description: string };

export interface AssertionContext {
  app: AppRegistration;
  /** Audiences a certificate assertion may name: this tenant's token endpoints. */
  tokenEndpoints: string[];
  /** Keys of the issuers the emulator itself plays (the GitHub Actions token service). */
  issuerKeys: Record<string, SigningKey>;
  now: number;
}

const fail = (code: number, description: string, status = 401, error = 'invalid_client'): AssertionCheck => ({ ok: false, status, error, code, description });

/** .NET's round-trip time format, as Entra prints it (7 fraction digits). */
function entraTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

function timeWindow(jwt: DecodedJwt, now: number): AssertionCheck | undefined {
  const { exp, nbf } = jwt.claims;
  if (typeof exp !== 'number') return fail(50027, 'JWT token is invalid or malformed: the assertion has no exp claim.');
  const t = now / 1000;
  // Entra allows some clock skew on assertions (five minutes), as on tokens.
  if (exp + 300 <= t || (typeof nbf === 'number' && nbf - 300 > t)) {
    return fail(700024, `Client assertion is not within its valid time range. Current time: ${entraTime(Math.floor(t))}, assertion valid from ${entraTime(typeof nbf === 'number' ? nbf : 0)}, expiry time of assertion ${entraTime(exp)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`);
  }
  return undefined;
}

function certificateAssertion(jwt: DecodedJwt, ctx: AssertionContext): AssertionCheck {
  const sha1 = typeof jwt.header.x5t === 'string' ? Buffer.from(jwt.header.x5t, 'base64url').toString('hex').toUpperCase() : undefined;
  const sha256 = typeof jwt.header['x5t#S256'] === 'string' ? Buffer.from(jwt.header['x5t#S256'], 'base64url').toString('hex').toUpperCase() : undefined;
  if (!sha1 && !sha256) return fail(50027, 'Invalid JWT token. No certificate thumbprint specified in token header.');
  const used = sha1 ?? sha256 ?? '';
  const cert = (ctx.app.certificates ?? []).map((pem) => new X509Certificate(pem)).find((c) => {
    const der = c.raw;
    return (sha1 && createHash('sha1').update(der).digest('hex').toUpperCase() === sha1) || (sha256 && createHash('sha256').update(der).digest('hex').toUpperCase() === sha256);
  });
  if (!cert) {
    return fail(700027, `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${used}', Configured keys for app '${ctx.app.appId}': ${(ctx.app.certificates ?? []).length}.]`);
  }
  if (!verifyJwtSignature(jwt, cert.publicKey)) {
    return fail(700027, `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${used}', Found key 'Start=${cert.validFrom}, End=${cert.validTo}']`);
  }
  const window = timeWindow(jwt, ctx.now);
  if (window) return window;
  const aud = String(jwt.claims.aud ?? '');
  if (!ctx.tokenEndpoints.some((e) => e.toLowerCase() === aud.toLowerCase().split('?')[0])) {
    return fail(50027, `JWT token is invalid or malformed: the assertion's audience '${aud}' is not this tenant's token endpoint (${ctx.tokenEndpoints[0]}).`);
  }
  return { ok: true, kind: 'certificate' };
}

function federatedAssertion(jwt: DecodedJwt, ctx: AssertionContext): AssertionCheck {
  const { iss, sub } = jwt.claims;
  const auds = Array.isArray(jwt.claims.aud) ? jwt.claims.aud.map(String) : [String(jwt.claims.aud ?? '')];
  const match = (ctx.app.federatedCredentials ?? []).find(
    (f) => f.issuer === iss && f.subject === sub && (f.audiences ?? [TOKEN_EXCHANGE_AUDIENCE]).some((a) => auds.includes(a)),
  );
  if (!match) {
    return fail(70021, `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(iss)}'. Assertion Subject: '${String(sub)}'. Assertion Audience: '${auds.join(',')}'.`, 400, 'invalid_request');
  }
  const key = ctx.issuerKeys[String(iss)];
  if (!key) {
    return fail(700027, `Client assertion failed signature validation: the signing keys of issuer '${String(iss)}' could not be retrieved (the emulator only knows the issuers it plays: ${Object.keys(ctx.issuerKeys).join(', ')}).`);
  }
  if (jwt.header.kid !== key.kid || !verifyJwtSignature(jwt, key.publicKey)) {
    return fail(700027, `Client assertion failed signature validation. [Reason - The key was not found., Key id of the assertion: '${String(jwt.header.kid)}', issuer '${String(iss)}']`);
  }
  return timeWindow(jwt, ctx.now) ?? { ok: true, kind: 'federated' };
}

/** Checks `assertion` for `ctx.app`. */
export function checkClientAssertion(assertion: string, ctx: AssertionContext): AssertionCheck {
  const jwt = decodeJwt(assertion);
  if (!jwt) return fail(50027, 'JWT token is invalid or malformed.');
  const { iss, sub } = jwt.claims;
  if (iss === ctx.app.appId && sub === ctx.app.appId) return certificateAssertion(jwt, ctx);
  return federatedAssertion(jwt, ctx);
}
