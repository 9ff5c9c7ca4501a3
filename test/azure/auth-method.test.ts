import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseAuthMethod, needsTenant } from '../../src/azure/auth-method.js';
import type { AuthConfig } from '../../src/config/model.js';
import { AzchrootError } from '../../src/errors.js';

const base: AuthConfig = { cloudEnvironmentName: 'Public', useAzureCliAuth: false };
const sp = { clientId: 'app-1', tenantId: 'tenant-1' };

test('precedence follows Packer: CLI, managed identity, secret, certificate, OIDC, JWT', () => {
  const cases: [Partial<AuthConfig>, string][] = [
    [{ useAzureCliAuth: true, clientSecret: 's', ...sp }, 'azure-cli'],
    [{}, 'managed-identity'],
    [{ clientId: 'user-assigned', subscriptionId: 'sub' }, 'managed-identity'],
    [{ ...sp, clientSecret: 's', clientCertPath: '/c.pfx', clientJwt: 'j' }, 'client-secret'],
    [{ ...sp, clientCertPath: '/c.pfx', clientJwt: 'j', oidcRequestToken: 't', oidcRequestUrl: 'https://x' }, 'client-certificate'],
    [{ ...sp, oidcRequestToken: 't', oidcRequestUrl: 'https://x', clientJwt: 'j' }, 'github-oidc'],
    [{ ...sp, clientJwt: 'j' }, 'client-jwt'],
    [{ clientId: 'app', clientSecret: 's' }, 'client-secret'],
  ];
  for (const [extra, expected] of cases) {
    assert.equal(chooseAuthMethod({ ...base, ...extra }), expected, JSON.stringify(extra));
  }
});

test('service-principal settings without client_id are refused', () => {
  assert.throws(() => chooseAuthMethod({ ...base, clientSecret: 's' }), (err: unknown) => {
    assert.ok(AzchrootError.is(err));
    assert.equal(err.code, 'AZC_AUTH_CONFIG');
    assert.match(err.message, /client_id/);
    return true;
  });
});

test('tenant_id alone (no secret, cert, OIDC or JWT) is refused instead of signing in with an empty assertion', () => {
  assert.throws(() => chooseAuthMethod({ ...base, ...sp }), /tenant_id is set but none of client_secret/);
});

test('oidc_request_token without oidc_request_url is refused', () => {
  assert.throws(() => chooseAuthMethod({ ...base, ...sp, oidcRequestToken: 't' }), /oidc_request_url/);
});

test('only service-principal methods need a tenant', () => {
  assert.equal(needsTenant('managed-identity'), false);
  assert.equal(needsTenant('azure-cli'), false);
  assert.equal(needsTenant('client-secret'), true);
  assert.equal(needsTenant('client-jwt'), true);
});
