import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AzureCliCredential, ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential,
} from '@azure/identity';
import { cliDefaultSubscription } from '../../src/azure/azure-cli-profile.js';
import { cloudByName } from '../../src/azure/clouds.js';
import { createCredential, msalOptions } from '../../src/azure/credentials.js';
import { pfxToPem } from '../../src/azure/pfx-to-pem.js';
import type { AuthConfig } from '../../src/config/model.js';
import { AzchrootError } from '../../src/errors.js';

const base: AuthConfig = { cloudEnvironmentName: 'Public', useAzureCliAuth: false };
const cloud = cloudByName('Public');
const sp = { clientId: '11111111-2222-3333-4444-555555555555', tenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' };

test('each AuthConfig combination yields the expected credential class and description', async () => {
  const cases: [Partial<AuthConfig>, Function, RegExp][] = [
    [{ useAzureCliAuth: true }, AzureCliCredential, /^Azure CLI login$/],
    [{}, ManagedIdentityCredential, /^managed identity \(system-assigned\)$/],
    [{ clientId: 'ua-client' }, ManagedIdentityCredential, /^managed identity \(user-assigned, client id ua-client\)$/],
    [{ ...sp, clientSecret: 'hunter2' }, ClientSecretCredential, /^service principal 11111111-.* \(client secret\) in tenant aaaaaaaa-/],
    [{ ...sp, oidcRequestUrl: 'https://token.actions.example/x?y=1', oidcRequestToken: 'tok' }, ClientAssertionCredential, /\(GitHub Actions OIDC\)/],
    [{ ...sp, clientJwt: 'a.b.c' }, ClientAssertionCredential, /\(client JWT\)/],
  ];
  for (const [extra, cls, description] of cases) {
    const selected = await createCredential({ ...base, ...extra }, { cloud });
    assert.ok(selected.credential instanceof cls, `${JSON.stringify(extra)} → ${selected.credential.constructor.name}`);
    assert.match(selected.description, description);
    assert.doesNotMatch(selected.description, /hunter2/, 'the secret never appears');
  }
});

test('MSAL credentials get disableInstanceDiscovery, the cloud authority and the extra CA', () => {
  assert.deepEqual(msalOptions(cloudByName('azurechinacloud')), { authorityHost: 'https://login.chinacloudapi.cn', disableInstanceDiscovery: true });
  assert.deepEqual(msalOptions(cloud, 'PEM'), { authorityHost: 'https://login.microsoftonline.com', disableInstanceDiscovery: true, tlsOptions: { ca: 'PEM' } });
});

test('a tenant passed in options overrides a missing tenant_id', async () => {
  const selected = await createCredential({ ...base, clientId: 'app', clientSecret: 's' }, { cloud, tenantId: 'found-tenant' });
  assert.match(selected.description, /in tenant found-tenant$/);
});

test('a service principal without any tenant is refused', async () => {
  await assert.rejects(createCredential({ ...base, clientId: 'app', clientSecret: 's' }, { cloud }), (err: unknown) => {
    assert.ok(AzchrootError.is(err));
    assert.equal(err.code, 'AZC_AUTH_TENANT');
    return true;
  });
});

test('client_cert_path as PKCS#12 with a password becomes a certificate credential; a wrong password is reported', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-pfx-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '1', '-subj', '/CN=sp'], { cwd: dir, stdio: 'pipe' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', 'k.pem', '-in', 'c.pem', '-out', 'sp.pfx', '-passout', 'pass:s3cret'], { cwd: dir, stdio: 'pipe' });
  const pfx = join(dir, 'sp.pfx');
  const selected = await createCredential({ ...base, ...sp, clientCertPath: pfx, clientCertPassword: 's3cret' }, { cloud });
  assert.ok(selected.credential instanceof ClientCertificateCredential);
  assert.match(selected.description, /\(certificate .*sp\.pfx\)/);
  await assert.rejects(createCredential({ ...base, ...sp, clientCertPath: pfx, clientCertPassword: 'wrong' }, { cloud }), (err: unknown) => {
    assert.ok(AzchrootError.is(err));
    assert.equal(err.code, 'AZC_AUTH_CERT');
    assert.ok(err.message.includes(pfx));
    assert.doesNotMatch(err.message, /wrong/);
    return true;
  });
  await assert.rejects(createCredential({ ...base, ...sp, clientCertPath: join(dir, 'missing.pfx') }, { cloud }), /cannot read client_cert_path/);
});

test('client_cert_path: legacy RC2/3DES bundles and bundles without a password open in-process; a bundle without a key is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-pfx-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ossl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ossl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '1', '-subj', '/CN=sp-legacy']);
  ossl(['pkcs12', '-export', '-legacy', '-inkey', 'k.pem', '-in', 'c.pem', '-out', 'legacy.pfx', '-passout', 'pass:old']);
  ossl(['pkcs12', '-export', '-inkey', 'k.pem', '-in', 'c.pem', '-out', 'open.pfx', '-passout', 'pass:']);
  ossl(['pkcs12', '-export', '-nokeys', '-in', 'c.pem', '-out', 'nokey.pfx', '-passout', 'pass:x']);
  const keyPem = readFileSync(join(dir, 'k.pem'), 'utf8');
  const certDer = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
  for (const [file, password] of [['legacy.pfx', 'old'], ['open.pfx', '']] as const) {
    const pem = await pfxToPem(join(dir, file), password);
    // The same key and certificate that went in.
    assert.deepEqual(createPublicKey(pem).export({ type: 'spki', format: 'der' }), certDer, file);
    assert.equal(new X509Certificate(pem).subject, 'CN=sp-legacy', file);
  }
  await assert.rejects(pfxToPem(join(dir, 'nokey.pfx'), 'x'), /client_cert_path .*nokey\.pfx: the file holds no private key/);
  await assert.rejects(pfxToPem(join(dir, 'legacy.pfx'), 'new'), /legacy\.pfx: the password does not open it/);
  writeFileSync(join(dir, 'junk.pfx'), 'not a bundle at all');
  await assert.rejects(pfxToPem(join(dir, 'junk.pfx')), /junk\.pfx: /);
});

test('the Azure CLI default subscription is read from azureProfile.json (with its byte order mark)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'azureProfile.json'), '\uFEFF' + JSON.stringify({ subscriptions: [
    { id: 'sub-a', tenantId: 't-a', isDefault: false }, { id: 'sub-b', tenantId: 't-b', isDefault: true },
  ] }));
  assert.deepEqual(await cliDefaultSubscription({ AZURE_CONFIG_DIR: dir }), { id: 'sub-b', tenantId: 't-b' });
  assert.equal(await cliDefaultSubscription({ AZURE_CONFIG_DIR: join(dir, 'missing') }), undefined);
});
