import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudByName, cloudFromMetadataHost } from '../../src/azure/clouds.js';
import { AzchrootError } from '../../src/errors.js';
import { json, startServer } from './helpers/local-server.js';

test('cloud names are matched without case, in short and long forms', () => {
  assert.equal(cloudByName('Public').armEndpoint, 'https://management.azure.com');
  assert.equal(cloudByName(undefined).name, 'AzurePublicCloud');
  assert.equal(cloudByName('AZUREPUBLICCLOUD').authorityHost, 'https://login.microsoftonline.com');
  assert.equal(cloudByName('china').armEndpoint, 'https://management.chinacloudapi.cn');
  assert.equal(cloudByName('AzureChinaCloud').authorityHost, 'https://login.chinacloudapi.cn');
  const gov = cloudByName('usgovernment');
  assert.equal(gov.armEndpoint, 'https://management.usgovcloudapi.net');
  assert.equal(gov.authorityHost, 'https://login.microsoftonline.us');
  assert.equal(gov.armScope, 'https://management.usgovcloudapi.net/.default');
  assert.equal(cloudByName('AzureUSGovernmentCloud').name, 'AzureUSGovernmentCloud');
});

test('an unknown cloud name is a user error listing the valid names', () => {
  assert.throws(() => cloudByName('Germany'), (err: unknown) => {
    assert.ok(AzchrootError.is(err));
    assert.equal(err.code, 'AZC_CLOUD_UNKNOWN');
    assert.match(err.message, /"Germany"/);
    assert.match(err.hint ?? '', /USGovernment/);
    return true;
  });
});

test('metadata_host endpoints are read and the named cloud picked from a list', async (t) => {
  const server = await startServer((req, res) => json(res, 200, [
    { name: 'AzureCloud', resourceManager: 'https://management.azure.com/', authentication: { loginEndpoint: 'https://login.microsoftonline.com/', audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'] } },
    { name: 'AzureStackLab', resourceManager: 'https://arm.lab.example/', authentication: { loginEndpoint: 'https://login.lab.example/', audiences: ['https://arm.lab.example/'] } },
  ]));
  t.after(() => server.close());
  const cloud = await cloudFromMetadataHost(server.origin, 'AzureStackLab');
  assert.deepEqual(cloud, { name: 'AzureStackLab', armEndpoint: 'https://arm.lab.example', authorityHost: 'https://login.lab.example', armScope: 'https://arm.lab.example/.default' });
  assert.equal(server.requests[0]?.url, '/metadata/endpoints?api-version=2022-09-01');
  const pub = await cloudFromMetadataHost(server.origin, 'Public');
  assert.equal(pub.armEndpoint, 'https://management.azure.com');
});

test('a failing metadata_host is reported with its URL', async (t) => {
  const server = await startServer((req, res) => json(res, 500, {}));
  t.after(() => server.close());
  await assert.rejects(cloudFromMetadataHost(server.origin, 'Public'), (err: unknown) => {
    assert.ok(AzchrootError.is(err));
    assert.equal(err.code, 'AZC_CLOUD_METADATA');
    assert.ok(err.message.includes(server.origin));
    return true;
  });
});
