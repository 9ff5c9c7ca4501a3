// Token sources that need a server: managed identity redirected to a local IMDS, and the
// GitHub Actions OIDC assertion callback.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudByName } from '../../src/azure/clouds.js';
import { createCredential } from '../../src/azure/credentials.js';
import { githubOidcAssertion } from '../../src/azure/oidc-assertion.js';
import { AzchrootError } from '../../src/errors.js';
import { fakeJwt } from './helpers/fake-token.js';
import { json, startServer, type TestServer } from './helpers/local-server.js';

const cloud = cloudByName('Public');

// MSAL keeps the first managed-identity source (and its HTTP client) in a static for the whole
// process, so every managed-identity test in this file shares one local IMDS.
let imds: TestServer;
before(async () => { imds = await startLocalImds(); });
after(() => imds.close());

async function startLocalImds(): Promise<TestServer> {
  return startServer((req, res) => {
    if (req.headers.metadata !== 'true') return json(res, 400, { error: 'invalid_request', error_description: 'Required metadata header not specified' });
    const expiresOn = Math.floor(Date.now() / 1000) + 3600;
    json(res, 200, { access_token: fakeJwt({ oid: 'mi-object' }), expires_in: '3599', expires_on: String(expiresOn), resource: 'https://management.azure.com', token_type: 'Bearer' });
  });
}

test('managed identity asks the given IMDS origin (never 169.254.169.254) for a token', async () => {
  const server = imds;
  server.requests.length = 0;
  const { credential, description } = await createCredential({ cloudEnvironmentName: 'Public', useAzureCliAuth: false }, { cloud, imdsEndpoint: server.origin });
  assert.equal(description, 'managed identity (system-assigned)');
  const token = await credential.getToken(cloud.armScope);
  assert.ok(token?.token.includes('.'));
  const url = new URL(server.requests[0]?.url ?? '', server.origin);
  assert.match(url.pathname, /^\/metadata\/identity\/oauth2\/token\/?$/);
  assert.equal(url.searchParams.get('resource'), 'https://management.azure.com');
  assert.equal(url.searchParams.get('client_id'), null);
});

test('a user-assigned managed identity passes its client_id', async () => {
  const server = imds;
  server.requests.length = 0;
  const { credential } = await createCredential({ cloudEnvironmentName: 'Public', useAzureCliAuth: false, clientId: 'ua-1' }, { cloud, imdsEndpoint: server.origin });
  await credential.getToken(cloud.armScope);
  const url = new URL(server.requests[0]?.url ?? '', server.origin);
  assert.equal(url.searchParams.get('client_id'), 'ua-1');
});

test('the OIDC callback fetches a fresh token on every call with the bearer token and the Entra audience', async (t) => {
  let n = 0;
  const server = await startServer((req, res) => json(res, 200, { value: `id-token-${++n}` }));
  t.after(() => server.close());
  const assertion = githubOidcAssertion(`${server.origin}/_apis/token?api-version=2.0`, 'request-token');
  assert.equal(await assertion(), 'id-token-1');
  assert.equal(await assertion(), 'id-token-2');
  assert.equal(server.requests.length, 2);
  for (const req of server.requests) {
    assert.equal(req.headers.authorization, 'Bearer request-token');
    const url = new URL(req.url, server.origin);
    assert.equal(url.searchParams.get('api-version'), '2.0');
    assert.equal(url.searchParams.get('audience'), 'api://AzureADTokenExchange');
  }
});

test('an OIDC token request refused by the server is an AZC_AUTH_OIDC error with the status', async (t) => {
  const server = await startServer((req, res) => json(res, 403, { message: 'no id-token permission' }));
  t.after(() => server.close());
  await assert.rejects(githubOidcAssertion(`${server.origin}/token`, 'request-token')(), (err: unknown) => {
    assert.ok(AzchrootError.is(err));
    assert.equal(err.code, 'AZC_AUTH_OIDC');
    assert.match(err.message, /HTTP 403/);
    assert.doesNotMatch(err.message, /request-token/);
    return true;
  });
});
