// Sign-in wiring against a local HTTPS authority and ARM stand-in: the extra CA is trusted,
// the authority host is used (no instance discovery), the tenant is discovered from ARM's 401.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudByName } from '../../src/azure/clouds.js';
import { createCredential } from '../../src/azure/credentials.js';
import { discoverTenant, tenantFromChallenge } from '../../src/azure/tenant-discovery.js';
import { tokenClaims } from '../../src/azure/token-claims.js';
import { AzchrootError } from '../../src/errors.js';
import { fakeJwt } from './helpers/fake-token.js';
import { json, startServer } from './helpers/local-server.js';
import { makeTestTls } from './helpers/local-tls.js';

const tenant = '0f0e0d0c-0b0a-0908-0706-050403020100';

async function authority(t: { after(fn: () => unknown): void }) {
  const tls = makeTestTls();
  t.after(() => tls.remove());
  const server = await startServer((req, res) => {
    const origin = `https://${req.headers.host}`;
    if (req.url.startsWith(`/${tenant}/v2.0/.well-known/openid-configuration`)) {
      return json(res, 200, {
        issuer: `${origin}/${tenant}/v2.0`, token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`, jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
      });
    }
    if (req.method === 'POST' && req.url.startsWith(`/${tenant}/oauth2/v2.0/token`)) {
      const form = new URLSearchParams(req.body);
      if (form.get('client_secret') !== 'right') return json(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
      return json(res, 200, { token_type: 'Bearer', expires_in: 3599, access_token: fakeJwt({ oid: 'object-42', tid: tenant }) });
    }
    if (req.url.startsWith('/subscriptions/sub-1?')) {
      res.writeHead(401, { 'www-authenticate': `Bearer authorization_uri="https://login.windows.net/${tenant}", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."` });
      return res.end();
    }
    json(res, 404, { error: { code: 'NotFound', message: req.url } });
  }, tls);
  t.after(() => server.close());
  return { server, tls };
}

test('ClientSecretCredential signs in at a local authority trusted through the extra CA', async (t) => {
  const { server, tls } = await authority(t);
  const cloud = { ...cloudByName('Public'), authorityHost: server.origin };
  const { credential } = await createCredential({ cloudEnvironmentName: 'Public', useAzureCliAuth: false, clientId: 'app', clientSecret: 'right', tenantId: tenant }, { cloud, ca: tls.ca });
  const token = await credential.getToken(cloud.armScope);
  assert.equal(tokenClaims(token?.token ?? '').oid, 'object-42');
  const paths = server.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`);
  assert.ok(paths.includes(`POST /${tenant}/oauth2/v2.0/token`), paths.join(', '));
  const tokenRequest = new URLSearchParams(server.requests.find((r) => r.method === 'POST')?.body);
  assert.equal(tokenRequest.get('scope'), 'https://management.azure.com/.default');
  assert.equal(tokenRequest.get('client_id'), 'app');
});

test('a wrong client secret surfaces the authority\'s error text', async (t) => {
  const { server, tls } = await authority(t);
  const cloud = { ...cloudByName('Public'), authorityHost: server.origin };
  const { credential } = await createCredential({ cloudEnvironmentName: 'Public', useAzureCliAuth: false, clientId: 'app', clientSecret: 'wrong', tenantId: tenant }, { cloud, ca: tls.ca });
  await assert.rejects(credential.getToken(cloud.armScope), /AADSTS7000215/);
});

test('the tenant is discovered from ARM\'s unauthenticated 401 challenge', async (t) => {
  const { server, tls } = await authority(t);
  assert.equal(await discoverTenant(server.origin, 'sub-1', { ca: tls.ca }), tenant);
  assert.equal(server.requests[0]?.url, '/subscriptions/sub-1?api-version=2022-12-01');
  assert.equal(server.requests[0]?.headers.authorization, undefined);
});

test('tenant discovery without a challenge says what ARM answered and suggests tenant_id', async (t) => {
  const { server, tls } = await authority(t);
  await assert.rejects(discoverTenant(server.origin, 'other-sub', { ca: tls.ca }), (err: unknown) => {
    assert.ok(AzchrootError.is(err));
    assert.equal(err.code, 'AZC_AUTH_TENANT');
    assert.match(err.message, /other-sub/);
    assert.match(err.message, /HTTP 404/);
    assert.match(err.hint ?? '', /tenant_id/);
    return true;
  });
});

test('tenantFromChallenge reads the GUID at the end of authorization_uri', () => {
  assert.equal(tenantFromChallenge(`Bearer authorization_uri="https://login.microsoftonline.com/${tenant}", error="invalid_token"`), tenant);
  assert.equal(tenantFromChallenge('Bearer realm=""'), undefined);
});

test('tokenClaims reads oid from a JWT and nothing from an opaque token', () => {
  assert.deepEqual(tokenClaims(fakeJwt({ oid: 'o', tid: 't', appid: 'a' })), { oid: 'o', tid: 't', appid: 'a' });
  assert.deepEqual(tokenClaims('opaque-token'), {});
});
