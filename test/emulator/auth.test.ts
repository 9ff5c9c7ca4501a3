import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpsRequest, startHarness } from './helpers/harness.js';
import { SYSTEM_ASSIGNED_CLIENT_ID } from '../../src/emulator/imds-server.js';

const REPO = new URL('../../../', import.meta.url).pathname;

test('ARM: no token is 401 with WWW-Authenticate naming the tenant (Packer tenant discovery); a token gets the subscription', async (t) => {
  const h = await startHarness(t, { tenantId: '11111111-2222-3333-4444-555555555555' });
  const path = `/subscriptions/${h.sub}?api-version=2016-06-01`;
  const anon = await h.arm('GET', path, { token: null });
  assert.equal(anon.status, 401);
  assert.equal(anon.body.error.code, 'AuthenticationFailed');
  const header = String(anon.headers['www-authenticate']);
  assert.match(header, /^Bearer authorization_uri="https:\/\/login\.windows\.net\/11111111-2222-3333-4444-555555555555", error="invalid_token"/);
  assert.equal(/authorization_uri=".*\/([0-9a-f\-]+)"/.exec(header)?.[1], '11111111-2222-3333-4444-555555555555');
  const sub = await h.arm('GET', path);
  assert.equal(sub.status, 200);
  assert.equal(sub.body.subscriptionId, h.sub);
  assert.equal(sub.body.tenantId, '11111111-2222-3333-4444-555555555555');
  const forged = await h.arm('GET', path, { token: 'not-issued-here' });
  assert.equal(forged.status, 401);
  assert.equal(forged.body.error.code, 'InvalidAuthenticationToken');
  const otherSub = await h.arm('GET', `/subscriptions/99999999-0000-0000-0000-000000000000/resourceGroups/x/providers/Microsoft.Compute/disks/d?api-version=1`);
  assert.equal(otherSub.status, 404);
  assert.equal(otherSub.body.error.code, 'SubscriptionNotFound');
});

test('ARM: an expired token is 401 ExpiredAuthenticationToken; a new one works', async (t) => {
  const h = await startHarness(t, { tokenLifetimeSeconds: 1 });
  const token = await h.token();
  const path = `/subscriptions/${h.sub}?api-version=2016-06-01`;
  assert.equal((await h.arm('GET', path, { token })).status, 200);
  await sleep(1100);
  const expired = await h.arm('GET', path, { token });
  assert.equal(expired.status, 401);
  assert.equal(expired.body.error.code, 'ExpiredAuthenticationToken');
  assert.match(String(expired.headers['www-authenticate']), /error="invalid_token"/);
  assert.equal((await h.arm('GET', path)).status, 200);
});

test('IMDS: Metadata header required; instance and compute values are all strings; token path with and without slash', async (t) => {
  const h = await startHarness(t, { vmName: 'vm7', resourceGroup: 'grp', location: 'northeurope', zone: '1' });
  const imds = h.emu.endpoints.imdsEndpoint;
  const noHeader = await fetch(`${imds}/metadata/instance?api-version=2017-08-01`);
  assert.equal(noHeader.status, 400);
  assert.equal(((await noHeader.json()) as any).error, 'invalid_request');
  const noVersion = await fetch(`${imds}/metadata/instance`, { headers: { Metadata: 'true' } });
  assert.equal(noVersion.status, 400);
  const instance = (await (await fetch(`${imds}/metadata/instance?api-version=2017-08-01`, { headers: { Metadata: 'true' } })).json()) as any;
  assert.equal(instance.compute.name, 'vm7');
  assert.equal(instance.compute.resourceGroupName, 'grp');
  assert.equal(instance.compute.location, 'northeurope');
  assert.equal(instance.compute.zone, '1');
  assert.equal(instance.compute.subscriptionId, h.sub);
  const compute = (await (await fetch(`${imds}/metadata/instance/compute?api-version=2017-08-01&format=json`, { headers: { Metadata: 'True' } })).json()) as Record<string, unknown>;
  for (const [k, v] of Object.entries(compute)) assert.equal(typeof v, 'string', `compute.${k} is a string`);
  for (const path of ['/metadata/identity/oauth2/token', '/metadata/identity/oauth2/token/']) {
    const res = await fetch(`${imds}${path}?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F`, { headers: { Metadata: 'true' } });
    assert.equal(res.status, 200, path);
    const body = (await res.json()) as any;
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.client_id, SYSTEM_ASSIGNED_CLIENT_ID);
    assert.equal(body.resource, 'https://management.azure.com/');
    assert.match(body.expires_on, /^\d+$/);
    assert.match(body.expires_in, /^\d+$/);
  }
  const uai = (await (await fetch(`${imds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com&client_id=abc`, { headers: { Metadata: 'true' } })).json()) as any;
  assert.equal(uai.client_id, 'abc');
  const noResource = await fetch(`${imds}/metadata/identity/oauth2/token?api-version=2018-02-01`, { headers: { Metadata: 'true' } });
  assert.equal(noResource.status, 400);
});

test('Entra ID: OpenID configuration on the same origin; v1 token endpoint (adal form); bad secret and wrong tenant refused', async (t) => {
  const h = await startHarness(t);
  const e = h.emu.endpoints;
  const conf = await httpsRequest(`${e.authorityHost}/${e.tenantId}/v2.0/.well-known/openid-configuration`, h.ca, 'GET');
  assert.equal(conf.status, 200);
  assert.equal(conf.body.issuer, `${e.authorityHost}/${e.tenantId}/v2.0`);
  assert.equal(conf.body.token_endpoint, `${e.authorityHost}/${e.tenantId}/oauth2/v2.0/token`);
  for (const k of ['authorization_endpoint', 'jwks_uri']) assert.ok(conf.body[k], k);
  const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
  const v1 = await httpsRequest(`${e.authorityHost}/${e.tenantId}/oauth2/token?api-version=1.0`, h.ca, 'POST', form({ grant_type: 'client_credentials', client_id: 'app', client_secret: 's3cret', resource: 'https://management.azure.com/' }), {
    'Content-Type': 'application/x-www-form-urlencoded',
  });
  assert.equal(v1.status, 200);
  assert.match(v1.body.expires_on, /^\d+$/);
  assert.equal((await h.arm('GET', `/subscriptions/${h.sub}?api-version=2016-06-01`, { token: v1.body.access_token })).status, 200);
  const bad = await httpsRequest(`${e.authorityHost}/${e.tenantId}/oauth2/v2.0/token`, h.ca, 'POST', form({ grant_type: 'client_credentials', client_id: 'app', client_secret: 'invalid-x', scope: 'https://management.azure.com/.default' }), {
    'Content-Type': 'application/x-www-form-urlencoded',
  });
  assert.equal(bad.status, 401);
  assert.equal(bad.body.error, 'invalid_client');
  const tenant = await httpsRequest(`${e.authorityHost}/other-tenant/oauth2/v2.0/token`, h.ca, 'POST', form({ grant_type: 'client_credentials', client_id: 'a', client_secret: 'b', scope: 'x/.default' }), {
    'Content-Type': 'application/x-www-form-urlencoded',
  });
  assert.equal(tenant.status, 400);
});

test('@azure/identity: ManagedIdentityCredential (IMDS) and ClientSecretCredential / client assertion drive arm-compute (child process trusting the CA)', async (t) => {
  const h = await startHarness(t);
  const e = h.emu.endpoints;
  // NODE_EXTRA_CA_CERTS is read at process start only, hence the child process.
  const script = `
    import { ManagedIdentityCredential, ClientSecretCredential, ClientAssertionCredential } from '@azure/identity';
    import { ComputeManagementClient } from '@azure/arm-compute';
    const e = JSON.parse(process.env.EMU);
    const out = {};
    const scope = 'https://management.azure.com/.default';
    const mi = new ManagedIdentityCredential();
    out.mi = (await mi.getToken(scope)).token.length > 0;
    const uai = new ManagedIdentityCredential({ clientId: 'uai-client' });
    out.uai = (await uai.getToken(scope)).token.length > 0;
    out.vmViaMi = (await new ComputeManagementClient(mi, e.subscriptionId, { endpoint: e.armEndpoint }).virtualMachines.get(e.resourceGroup, e.vmName)).name;
    const opts = { authorityHost: e.authorityHost, disableInstanceDiscovery: true };
    const cs = new ClientSecretCredential(e.tenantId, 'app-id', 'a-secret', opts);
    out.vmViaSecret = (await new ComputeManagementClient(cs, e.subscriptionId, { endpoint: e.armEndpoint }).virtualMachines.get(e.resourceGroup, e.vmName)).name;
    const ca = new ClientAssertionCredential(e.tenantId, 'app-id', async () => 'header.payload.sig', opts);
    out.assertion = (await ca.getToken(scope)).token.length > 0;
    try { await new ClientSecretCredential(e.tenantId, 'app-id', 'invalid-secret', opts).getToken(scope); out.badSecret = 'accepted'; }
    catch (err) { out.badSecret = /AADSTS7000215/.test(String(err.message)) ? 'refused' : err.name + ': ' + err.message; }
    console.log(JSON.stringify(out));
  `;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    EMU: JSON.stringify(e),
    NODE_EXTRA_CA_CERTS: e.caCertPath,
    AZURE_POD_IDENTITY_AUTHORITY_HOST: e.imdsEndpoint,
  };
  const child = await execa(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, env, extendEnv: false, timeout: 60_000, reject: false });
  assert.equal(child.exitCode, 0, child.stderr);
  const out = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
  assert.deepEqual(out, { mi: true, uai: true, vmViaMi: 'golden-vm', vmViaSecret: 'golden-vm', assertion: true, badSecret: 'refused' });
  const log = readFileSync(join(h.stateDir, 'requests.jsonl'), 'utf8');
  assert.match(log, /"operation":"entra\.token"/);
  assert.match(log, /"operation":"imds\.token"/);
});
