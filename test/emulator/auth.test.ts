import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpsRequest, startHarness, type Harness } from './helpers/harness.js';
import { SYSTEM_ASSIGNED_CLIENT_ID } from '../../src/emulator/imds-server.js';
import { decodeJwt, signJwt, verifyJwtSignature } from '../../src/emulator/identity/jwt.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';

const REPO = new URL('../../../', import.meta.url).pathname;
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const APP = '3f1c0d5e-0000-4000-8000-00000000a001';
const UAI = '3f1c0d5e-0000-4000-8000-00000000b001';
const claimsOf = (token: string) => decodeJwt(token)!.claims;
const subPath = (h: Harness) => `/subscriptions/${h.sub}?api-version=2022-12-01`;

async function tokenRequest(h: Harness, fields: Record<string, string>, tenant = h.emu.endpoints.tenantId) {
  return httpsRequest(`${h.emu.endpoints.authorityHost}/${tenant}/oauth2/v2.0/token`, h.ca, 'POST', form({ grant_type: 'client_credentials', scope: 'https://management.azure.com/.default', ...fields }), FORM);
}

/** Signs a token the way the emulator does, with its own key from the state directory (for claims no client can get). */
function forgeWithEmulatorKey(h: Harness, claims: Record<string, unknown>): string {
  const key = createPrivateKey(readFileSync(join(h.stateDir, 'keys', 'entra-signing-key.pem')));
  const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const id = createHash('sha1').update(der).digest('base64url');
  return signJwt(claims, key, { kid: id, x5t: id });
}

test('ARM: no token is 401 with WWW-Authenticate naming the tenant (Packer tenant discovery); tokens are RS256 JWTs verified by the published JWKS', async (t) => {
  const h = await startHarness(t, { tenantId: '11111111-2222-3333-4444-555555555555' });
  const tenant = '11111111-2222-3333-4444-555555555555';
  const anon = await h.arm('GET', subPath(h), { token: null });
  assert.equal(anon.status, 401);
  assert.equal(anon.body.error.code, 'AuthenticationFailed');
  const header = String(anon.headers['www-authenticate']);
  assert.match(header, /^Bearer authorization_uri="https:\/\/login\.windows\.net\/11111111-2222-3333-4444-555555555555", error="invalid_token"/);
  assert.equal(/authorization_uri=".*\/([0-9a-f\-]+)"/.exec(header)?.[1], tenant);

  const token = await h.token();
  const jwt = decodeJwt(token);
  assert.ok(jwt, 'the access token is a JWT');
  assert.equal(jwt.header.alg, 'RS256');
  const c = jwt.claims;
  assert.equal(c.iss, `https://sts.windows.net/${tenant}/`);
  assert.equal(c.tid, tenant);
  assert.equal(c.aud, 'https://management.azure.com/');
  assert.equal(c.appid, SYSTEM_ASSIGNED_CLIENT_ID);
  assert.equal(c.idtyp, 'app');
  assert.equal(c.ver, '1.0');
  assert.match(String(c.oid), /^[0-9a-f-]{36}$/);
  assert.equal(c.sub, c.oid);
  assert.equal(String(c.xms_mirid).toLowerCase(), h.id('virtualMachines/golden-vm').toLowerCase());
  assert.ok(typeof c.iat === 'number' && c.nbf === c.iat && (c.exp as number) > (c.iat as number));

  const conf = await httpsRequest(`${h.emu.endpoints.authorityHost}/${tenant}/v2.0/.well-known/openid-configuration`, h.ca, 'GET');
  const keys = await httpsRequest(conf.body.jwks_uri, h.ca, 'GET');
  const jwk = keys.body.keys.find((k: { kid: string }) => k.kid === jwt.header.kid);
  assert.ok(jwk, 'the token\'s kid is published at jwks_uri');
  assert.ok(verifyJwtSignature(jwt, createPublicKey({ key: jwk, format: 'jwk' })), 'the JWKS key verifies the token');

  const sub = await h.arm('GET', subPath(h));
  assert.equal(sub.status, 200);
  assert.equal(sub.body.tenantId, tenant);
  const otherSub = await h.arm('GET', `/subscriptions/99999999-0000-0000-0000-000000000000/resourceGroups/x/providers/Microsoft.Compute/disks/d?api-version=2025-01-02`);
  assert.equal(otherSub.status, 404);
  assert.equal(otherSub.body.error.code, 'SubscriptionNotFound');
});

test('ARM refuses a forged signature, a wrong audience, an expired token and another tenant\'s token with Azure\'s codes', async (t) => {
  const h = await startHarness(t);
  const good = claimsOf(await h.token());
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forged = signJwt(good, privateKey, { kid: decodeJwt(await h.token())!.header.kid });
  const r1 = await h.arm('GET', subPath(h), { token: forged });
  assert.equal(r1.status, 401);
  assert.equal(r1.body.error.code, 'InvalidAuthenticationToken');
  assert.equal((await h.arm('GET', subPath(h), { token: 'not-a-jwt' })).body.error.code, 'InvalidAuthenticationToken');

  const graph = await (await fetch(`${h.emu.endpoints.imdsEndpoint}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://graph.microsoft.com`, { headers: { Metadata: 'true' } })).json() as { access_token: string };
  const r2 = await h.arm('GET', subPath(h), { token: graph.access_token });
  assert.equal(r2.status, 401);
  assert.equal(r2.body.error.code, 'InvalidAuthenticationToken');
  assert.match(r2.body.error.message, /wrong audience or resource 'https:\/\/graph\.microsoft\.com'/);

  const now = Math.floor(Date.now() / 1000);
  const expired = forgeWithEmulatorKey(h, { ...good, iat: now - 7200, nbf: now - 7200, exp: now - 3600 });
  const r3 = await h.arm('GET', subPath(h), { token: expired });
  assert.equal(r3.status, 401);
  assert.equal(r3.body.error.code, 'ExpiredAuthenticationToken');
  assert.match(r3.body.error.message, /^The access token expiry UTC time '\d+\/\d+\/\d{4} \d+:\d\d:\d\d [AP]M' is earlier than current UTC time/);
  assert.match(String(r3.headers['www-authenticate']), /error="invalid_token"/);
  // Within Azure's five minutes of clock skew an expired token still works.
  assert.equal((await h.arm('GET', subPath(h), { token: forgeWithEmulatorKey(h, { ...good, exp: now - 60 }) })).status, 200);

  const otherTenant = forgeWithEmulatorKey(h, { ...good, iss: 'https://sts.windows.net/99999999-9999-9999-9999-999999999999/', tid: '99999999-9999-9999-9999-999999999999' });
  const r4 = await h.arm('GET', subPath(h), { token: otherTenant });
  assert.equal(r4.status, 401);
  assert.equal(r4.body.error.code, 'InvalidAuthenticationTokenTenant');
});

test('IMDS: Metadata header required; compute values are strings; system- and user-assigned identities; an unknown identity is refused', async (t) => {
  const h = await startHarness(t, {
    vmName: 'vm7', resourceGroup: 'grp', location: 'northeurope', zone: '1',
    directory: { userAssignedIdentities: [{ name: 'builder-id', clientId: UAI }] },
  });
  const imds = h.emu.endpoints.imdsEndpoint;
  const get = (path: string, headers: Record<string, string> = { Metadata: 'true' }) => fetch(`${imds}${path}`, { headers });
  const noHeader = await get('/metadata/instance?api-version=2017-08-01', {});
  assert.equal(noHeader.status, 400);
  assert.equal(((await noHeader.json()) as any).error, 'invalid_request');
  assert.equal((await get('/metadata/instance')).status, 400);
  const instance = (await (await get('/metadata/instance?api-version=2017-08-01')).json()) as any;
  assert.equal(instance.compute.name, 'vm7');
  assert.equal(instance.compute.zone, '1');
  const compute = (await (await get('/metadata/instance/compute?api-version=2017-08-01&format=json', { Metadata: 'True' })).json()) as Record<string, unknown>;
  for (const [k, v] of Object.entries(compute)) assert.equal(typeof v, 'string', `compute.${k} is a string`);
  for (const path of ['/metadata/identity/oauth2/token', '/metadata/identity/oauth2/token/']) {
    const res = await get(`${path}?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F`);
    assert.equal(res.status, 200, path);
    const body = (await res.json()) as any;
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.client_id, SYSTEM_ASSIGNED_CLIENT_ID);
    assert.equal(body.resource, 'https://management.azure.com/');
    assert.match(body.expires_on, /^\d+$/);
    assert.match(body.expires_in, /^\d+$/);
  }
  const uai = (await (await get(`/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com&client_id=${UAI}`)).json()) as any;
  assert.equal(uai.client_id, UAI);
  const c = claimsOf(uai.access_token);
  assert.equal(c.appid, UAI);
  assert.equal(c.aud, 'https://management.azure.com');
  assert.equal(c.xms_mirid, `/subscriptions/${h.sub}/resourcegroups/grp/providers/Microsoft.ManagedIdentity/userAssignedIdentities/builder-id`);
  const byResource = await get(`/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com&msi_res_id=${encodeURIComponent(String(c.xms_mirid))}`);
  assert.equal(claimsOf(((await byResource.json()) as any).access_token).oid, c.oid, 'msi_res_id names the same identity');
  const unknown = await get('/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com&client_id=00000000-dead-beef-0000-000000000000');
  assert.equal(unknown.status, 400);
  assert.deepEqual(await unknown.json(), { error: 'invalid_request', error_description: 'Identity not found' });
  assert.equal((await get('/metadata/identity/oauth2/token?api-version=2018-02-01')).status, 400);
});

test('Entra ID: client secrets are checked against the app registration with Entra\'s AADSTS codes', async (t) => {
  const h = await startHarness(t, {
    directory: { applications: [{ appId: APP, secrets: ['s3cret', { value: 'old-secret', expiresOn: '2020-01-01T00:00:00Z' }] }] },
  });
  const e = h.emu.endpoints;
  const conf = await httpsRequest(`${e.authorityHost}/${e.tenantId}/v2.0/.well-known/openid-configuration`, h.ca, 'GET');
  assert.equal(conf.body.issuer, `${e.authorityHost}/${e.tenantId}/v2.0`);
  assert.equal(conf.body.token_endpoint, `${e.authorityHost}/${e.tenantId}/oauth2/v2.0/token`);
  const v1 = await httpsRequest(`${e.authorityHost}/${e.tenantId}/oauth2/token?api-version=1.0`, h.ca, 'POST', form({ grant_type: 'client_credentials', client_id: APP, client_secret: 's3cret', resource: 'https://management.azure.com/' }), FORM);
  assert.equal(v1.status, 200);
  assert.match(v1.body.expires_on, /^\d+$/);
  assert.equal(claimsOf(v1.body.access_token).appid, APP);
  assert.equal(claimsOf(v1.body.access_token).appidacr, '1');
  assert.equal((await h.arm('GET', subPath(h), { token: v1.body.access_token })).status, 200);
  const v2 = await tokenRequest(h, { client_id: APP, client_secret: 's3cret' });
  assert.equal(v2.status, 200);
  assert.equal((await h.arm('GET', subPath(h), { token: v2.body.access_token })).status, 200);

  const cases: [Record<string, string>, number, string, number][] = [
    [{ client_id: APP, client_secret: 'wrong' }, 401, 'invalid_client', 7000215],
    [{ client_id: APP, client_secret: 'old-secret' }, 401, 'invalid_client', 7000222],
    [{ client_id: '00000000-0000-0000-0000-00000000beef', client_secret: 's3cret' }, 400, 'unauthorized_client', 700016],
    [{ client_id: APP }, 401, 'invalid_client', 7000218],
  ];
  for (const [fields, status, error, code] of cases) {
    const r = await tokenRequest(h, fields);
    assert.equal(r.status, status, JSON.stringify(fields));
    assert.equal(r.body.error, error);
    assert.deepEqual(r.body.error_codes, [code]);
    assert.match(r.body.error_description, new RegExp(`^AADSTS${code}: `));
  }
  const tenant = await tokenRequest(h, { client_id: APP, client_secret: 's3cret' }, 'other-tenant');
  assert.equal(tenant.status, 400);
  assert.deepEqual(tenant.body.error_codes, [90002]);
  const scope = await tokenRequest(h, { client_id: APP, client_secret: 's3cret', scope: 'https://unknown.example/.default' });
  assert.deepEqual(scope.body.error_codes, [500011]);
});

test('Entra ID: certificate assertions are verified against the registered certificate; expired and unknown-key assertions are refused', async (t) => {
  const cert = await makeTestCertificate(t);
  const other = await makeTestCertificate(t, 'other');
  const h = await startHarness(t, { directory: { applications: [{ appId: APP, certificates: [cert.certPem] }] } });
  const e = h.emu.endpoints;
  const aud = `${e.authorityHost}/${e.tenantId}/oauth2/v2.0/token`;
  const now = Math.floor(Date.now() / 1000);
  const assertion = (key = cert.key, pem = cert.certPem, claims: Record<string, unknown> = {}) => {
    const der = new X509Certificate(pem).raw;
    return signJwt({ aud, iss: APP, sub: APP, jti: 'j1', nbf: now, exp: now + 600, ...claims }, key, { x5t: createHash('sha1').update(der).digest('base64url') });
  };
  const ask = (jwt: string) => tokenRequest(h, { client_id: APP, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt });
  const ok = await ask(assertion());
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(claimsOf(ok.body.access_token).appidacr, '2');
  const cases: [string, number][] = [
    [assertion(other.key, other.certPem), 700027],
    [assertion(other.key, cert.certPem), 700027],
    [assertion(cert.key, cert.certPem, { exp: now - 3600, nbf: now - 4200 }), 700024],
    [assertion(cert.key, cert.certPem, { aud: 'https://login.microsoftonline.com/another/oauth2/v2.0/token' }), 50027],
    ['garbage', 50027],
  ];
  for (const [jwt, code] of cases) {
    const r = await ask(jwt);
    assert.equal(r.status, 401, `AADSTS${code} expected, got ${JSON.stringify(r.body)}`);
    assert.deepEqual(r.body.error_codes, [code]);
  }
  assert.match((await ask(assertion(cert.key, cert.certPem, { exp: now - 3600, nbf: now - 4200 }))).body.error_description, /Client assertion is not within its valid time range/);
});

test('GitHub Actions OIDC: the emulator\'s token service issues ID tokens that Entra exchanges when a federated credential matches', async (t) => {
  const h = await startHarness(t, {
    directory: {
      applications: [{ appId: APP, federatedCredentials: [{ issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:octo/images:ref:refs/heads/main' }] }],
      githubJobs: [{ requestToken: 'job-token-main', repository: 'octo/images' }, { requestToken: 'job-token-dev', repository: 'octo/images', ref: 'refs/heads/dev' }],
    },
  });
  const e = h.emu.endpoints;
  const idToken = async (requestToken: string) => {
    const res = await httpsRequest(`${e.githubTokenRequestUrl}&audience=api://AzureADTokenExchange`, h.ca, 'GET', undefined, { Authorization: `Bearer ${requestToken}` });
    return res;
  };
  const main = await idToken('job-token-main');
  assert.equal(main.status, 200);
  const c = claimsOf(main.body.value);
  assert.equal(c.iss, 'https://token.actions.githubusercontent.com');
  assert.equal(c.sub, 'repo:octo/images:ref:refs/heads/main');
  assert.equal(c.aud, 'api://AzureADTokenExchange');
  assert.equal((await idToken('not-a-job')).status, 401);
  const exchange = (jwt: string) => tokenRequest(h, { client_id: APP, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt });
  const ok = await exchange(main.body.value);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal((await h.arm('GET', subPath(h), { token: ok.body.access_token })).status, 200);
  const dev = await exchange((await idToken('job-token-dev')).body.value);
  assert.equal(dev.status, 400);
  assert.deepEqual(dev.body.error_codes, [70021]);
  assert.match(dev.body.error_description, /Assertion Subject: 'repo:octo\/images:ref:refs\/heads\/dev'/);
  // Same claims, signed by someone else: the issuer's key does not verify it.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forged = signJwt(c, privateKey, { kid: decodeJwt(main.body.value)!.header.kid });
  assert.deepEqual((await exchange(forged)).body.error_codes, [700027]);
});

test('@azure/identity: managed identities, client secret, client certificate and client assertion drive arm-compute (child process trusting the CA)', async (t) => {
  const cert = await makeTestCertificate(t);
  const h = await startHarness(t, {
    directory: {
      applications: [{ appId: APP, secrets: ['a-secret'], certificates: [cert.certPem] }],
      userAssignedIdentities: [{ name: 'builder-id', clientId: UAI }],
    },
  });
  const e = h.emu.endpoints;
  // NODE_EXTRA_CA_CERTS is read at process start only, hence the child process.
  const script = `
    import { ManagedIdentityCredential, ClientSecretCredential, ClientCertificateCredential, ClientAssertionCredential } from '@azure/identity';
    import { ComputeManagementClient } from '@azure/arm-compute';
    const e = JSON.parse(process.env.EMU);
    const out = {};
    const scope = 'https://management.azure.com/.default';
    const vm = async (cred) => (await new ComputeManagementClient(cred, e.subscriptionId, { endpoint: e.armEndpoint }).virtualMachines.get(e.resourceGroup, e.vmName)).name;
    const mi = new ManagedIdentityCredential();
    out.vmViaMi = await vm(mi);
    const uai = new ManagedIdentityCredential({ clientId: process.env.UAI });
    out.uai = (await uai.getToken(scope)).token.split('.').length;
    const opts = { authorityHost: e.authorityHost, disableInstanceDiscovery: true };
    out.vmViaSecret = await vm(new ClientSecretCredential(e.tenantId, process.env.APP, 'a-secret', opts));
    out.vmViaCert = await vm(new ClientCertificateCredential(e.tenantId, process.env.APP, { certificatePath: process.env.CERT }, opts));
    try { await new ClientSecretCredential(e.tenantId, process.env.APP, 'wrong-secret', opts).getToken(scope); out.badSecret = 'accepted'; }
    catch (err) { out.badSecret = /AADSTS7000215/.test(String(err.message)) ? 'refused' : err.name + ': ' + err.message; }
    try { await new ClientAssertionCredential(e.tenantId, process.env.APP, async () => 'header.payload.sig', opts).getToken(scope); out.badAssertion = 'accepted'; }
    catch (err) { out.badAssertion = /AADSTS50027/.test(String(err.message)) ? 'refused' : err.name + ': ' + err.message; }
    console.log(JSON.stringify(out));
  `;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    EMU: JSON.stringify(e),
    APP,
    UAI,
    CERT: cert.pemPath,
    NODE_EXTRA_CA_CERTS: e.caCertPath,
    AZURE_POD_IDENTITY_AUTHORITY_HOST: e.imdsEndpoint,
  };
  const child = await execa(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, env, extendEnv: false, timeout: 60_000, reject: false });
  assert.equal(child.exitCode, 0, child.stderr);
  const out = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
  assert.deepEqual(out, { vmViaMi: 'golden-vm', uai: 3, vmViaSecret: 'golden-vm', vmViaCert: 'golden-vm', badSecret: 'refused', badAssertion: 'refused' });
  const log = readFileSync(join(h.stateDir, 'requests.jsonl'), 'utf8');
  assert.match(log, /"operation":"entra\.token"/);
  assert.match(log, /"operation":"imds\.token"/);
});
