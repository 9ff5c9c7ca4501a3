// GitHub Actions OIDC: each call asks the Actions token service for a fresh ID token, so that
// builds longer than the token's few-minute lifetime can still renew their Azure token.

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AzchrootError } from '../errors.js';

/** A callback for ClientAssertionCredential fetching `${requestUrl}&audience=api://AzureADTokenExchange` with the request token; `ca` trusts a private CA (the emulator's). */
export function githubOidcAssertion(requestUrl: string, requestToken: string, ca?: string | Buffer): () => Promise<string> {
  const separator = requestUrl.includes('?') ? '&' : '?';
  const url = `${requestUrl}${separator}audience=${encodeURIComponent('api://AzureADTokenExchange')}`;
  return async () => {
    let status = 0;
    let text = '';
    try {
      ({ status, text } = await get(url, requestToken, ca));
    } catch (err) {
      throw oidcError(`the OIDC token request to ${safeUrl(requestUrl)} failed: ${(err as Error).message}`, err);
    }
    if (status !== 200) throw oidcError(`the OIDC token request to ${safeUrl(requestUrl)} answered HTTP ${status}: ${text.slice(0, 200)}`);
    let value: unknown;
    try {
      value = (JSON.parse(text) as { value?: unknown }).value;
    } catch {
      value = undefined;
    }
    if (typeof value !== 'string' || value === '') throw oidcError(`the OIDC token response from ${safeUrl(requestUrl)} has no "value"`);
    return value;
  };
}

function get(url: string, token: string, ca: string | Buffer | undefined): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = url.startsWith('http:') ? httpRequest : httpsRequest;
    const req = request(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, ca, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (s: string) => (text += s));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end();
  });
}

function oidcError(message: string, cause?: unknown): AzchrootError {
  return new AzchrootError('AZC_AUTH_OIDC', message, 'azure', {
    hint: 'Check oidc_request_url/oidc_request_token (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN) and that the job has "permissions: id-token: write".',
    cause,
  });
}

// The request URL carries no secret, but drop its query to keep the message short.
function safeUrl(url: string): string {
  return url.split('?')[0] ?? url;
}
