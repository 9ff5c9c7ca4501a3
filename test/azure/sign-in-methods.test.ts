// Every sign-in a template can choose, through connectAzure (azchroot's own path) against the
// emulator's Entra ID and IMDS, each followed by a first ARM call with the token it got; and the
// refusals a wrong setting gets, with Entra's AADSTS code and a hint that says what to fix.
// One emulator for the file: msal-node caches the managed-identity source per process.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAzure } from '../../src/azure/connect.js';
import type { AuthConfig } from '../../src/config/model.js';
import type { RunningEmulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/index.js';
import { signJwt } from '../../src/emulator/identity/jwt.js';
import { AzchrootError } from '../../src/errors.js';
import { makeTestCertificate, type TestCertificate } from '../helpers/test-certificate.js';

const APP = '5d2a0000-0000-4000-8000-0000000000a1';
const CERT_APP = '5d2a0000-0000-4000-8000-0000000000a2';
const OIDC_APP = '5d2a0000-0000-4000-8000-0000000000a3';
const UAI = '5d2a0000-0000-4000-8000-0000000000b1';
const base: AuthConfig = { cloudEnvironmentName: 'Public', useAzureCliAuth: false };
const cleanups: (() => unknown)[] = [];
const hooks = { after: (fn: () => unknown) => void cleanups.push(fn) };

let stateDir: string;
let emulator: RunningEmulator;
let cert: TestCertificate;

before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'azc-signin-'));
  cert = await makeTestCertificate(hooks);
  emulator = await startEmulator({
    stateDir,
    quiet: true,
    directory: {
      applications: [
        { appId: APP, secrets: ['right-secret'] },
        { appId: CERT_APP, certificates: [cert.certPem] },
        { appId: OIDC_APP, federatedCredentials: [{ issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:octo/images:environment:prod' }] },
      ],
      userAssignedIdentities: [{ name: 'image-builder', clientId: UAI }],
      githubJobs: [{ requestToken: 'prod-job', repository: 'octo/images', environment: 'prod' }, { requestToken: 'main-job', repository: 'octo/images' }],
    },
  });
});

after(async () => {
  try {
    await emulator?.stop();
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
    for (const fn of cleanups) await fn();
  }
});

/** Signs in as `auth` and makes a first ARM call with the token; returns the identity line. */
async function signIn(auth: AuthConfig): Promise<string> {
  const conn = await connectAzure({ auth, emulator: emulator.endpoints });
  assert.deepEqual(await conn.azure.vm.listDataDisks(conn.vm), [], 'the first ARM call is authorized');
  return conn.identity;
}

function clientJwt(claims: Record<string, unknown> = {}): string {
  const e = emulator.endpoints;
  const now = Math.floor(Date.now() / 1000);
  const x5t = createHash('sha1').update(new X509Certificate(cert.certPem).raw).digest('base64url');
  return signJwt({ aud: `${e.authorityHost}/${e.tenantId}/oauth2/v2.0/token`, iss: CERT_APP, sub: CERT_APP, jti: String(Math.random()), nbf: now, exp: now + 3600, ...claims }, cert.key, { x5t });
}

async function refused(auth: AuthConfig, code: string, hint: RegExp): Promise<void> {
  await assert.rejects(connectAzure({ auth, emulator: emulator.endpoints }), (err: unknown) => {
    assert.ok(AzchrootError.is(err), String(err));
    assert.equal(err.code, 'AZC_AUTH_FAILED');
    assert.match(err.message, new RegExp(`AADSTS${code}`));
    assert.match(err.hint ?? '', hint);
    return true;
  });
}

test('managed identity: system-assigned and user-assigned by client_id', async () => {
  assert.match(await signIn(base), /^managed identity \(system-assigned\), object id [0-9a-f-]{36}$/);
  assert.match(await signIn({ ...base, clientId: UAI }), new RegExp(`^managed identity \\(user-assigned, client id ${UAI}\\), object id`));
});

test('client secret signs in; a wrong secret and an unknown client id get AADSTS7000215 / AADSTS700016 and a hint', async () => {
  assert.match(await signIn({ ...base, clientId: APP, clientSecret: 'right-secret' }), new RegExp(`^service principal ${APP} \\(client secret\\)`));
  await refused({ ...base, clientId: APP, clientSecret: 'wrong-secret' }, '7000215', /client_secret is wrong/);
  await refused({ ...base, clientId: '5d2a0000-0000-4000-8000-0000000000ff', clientSecret: 'right-secret' }, '700016', /is not an app registered in tenant/);
});

test('client certificate: PEM, and PKCS#12 with client_cert_password; an unregistered certificate gets AADSTS700027', async () => {
  assert.match(await signIn({ ...base, clientId: CERT_APP, clientCertPath: cert.pemPath }), /\(certificate .*both\.pem\)/);
  assert.match(await signIn({ ...base, clientId: CERT_APP, clientCertPath: cert.pfxPath, clientCertPassword: cert.password }), /\(certificate .*cert\.pfx\)/);
  const other = await makeTestCertificate(hooks, 'not-registered');
  await refused({ ...base, clientId: CERT_APP, clientCertPath: other.pemPath }, '700027', /not signed by a certificate registered on the app/);
});

test('client_jwt signs in; an expired one gets AADSTS700024 and says to make a new one', async () => {
  assert.match(await signIn({ ...base, clientId: CERT_APP, clientJwt: clientJwt() }), /\(client JWT\)/);
  const now = Math.floor(Date.now() / 1000);
  await refused({ ...base, clientId: CERT_APP, clientJwt: clientJwt({ nbf: now - 7200, exp: now - 3600 }) }, '700024', /client_jwt has expired/);
});

test('GitHub Actions OIDC: the job\'s ID token is exchanged when the federated credential matches; another branch gets AADSTS70021', async () => {
  const e = emulator.endpoints;
  const oidc = { ...base, clientId: OIDC_APP, oidcRequestUrl: e.githubTokenRequestUrl };
  assert.match(await signIn({ ...oidc, oidcRequestToken: 'prod-job' }), /\(GitHub Actions OIDC\)/);
  await refused({ ...oidc, oidcRequestToken: 'main-job' }, '70021', /no federated credential of the app matches/);
  await assert.rejects(connectAzure({ auth: { ...oidc, oidcRequestToken: 'no-such-job' }, emulator: e }), /OIDC token request .* answered HTTP 401/);
});
