import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudByName, cloudFromMetadata, cloudFromMetadataHost } from '../../src/azure/clouds.js';
import { AzchrootError } from '../../src/errors.js';
import { closedPort, json, startServer } from './helpers/local-server.js';

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

const LIST = [
  { name: 'AzureCloud', resourceManager: 'https://management.azure.com/', authentication: { loginEndpoint: 'https://login.microsoftonline.com/', audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'] } },
  { name: 'AzureStackLab', resourceManager: 'https://arm.lab.example/', authentication: { loginEndpoint: 'https://login.lab.example/', audiences: ['https://arm.lab.example/'] } },
];

test('metadata_host endpoints are read and the named cloud picked from a list', () => {
  const cloud = cloudFromMetadata(LIST, 'AzureStackLab', 'https://lab.example/metadata/endpoints');
  assert.deepEqual(cloud, { name: 'AzureStackLab', armEndpoint: 'https://arm.lab.example', authorityHost: 'https://login.lab.example', armScope: 'https://arm.lab.example/.default' });
  const pub = cloudFromMetadata(LIST, 'Public', 'https://lab.example/metadata/endpoints');
  assert.equal(pub.armEndpoint, 'https://management.azure.com');
});

test('metadata_host and the endpoints it returns must be https', async (t) => {
  const server = await startServer((req, res) => json(res, 200, LIST));
  t.after(() => server.close());
  await assert.rejects(cloudFromMetadataHost(server.origin, 'Public'), (err: unknown) => {
    assert.ok(AzchrootError.is(err));
    assert.equal(err.code, 'AZC_CLOUD_INSECURE');
    assert.ok(err.message.includes(`${server.origin}/metadata/endpoints`), err.message);
    assert.match(err.message, /is not https/);
    return true;
  });
  assert.equal(server.requests.length, 0, 'nothing was sent to the http endpoint');
  const insecure = [{ name: 'Lab', resourceManager: 'http://arm.lab.example/', authentication: { loginEndpoint: 'https://login.lab.example/' } }];
  assert.throws(() => cloudFromMetadata(insecure, 'Lab', 'https://lab.example/metadata/endpoints'), /resourceManager endpoint .* http:\/\/arm\.lab\.example\/ is not https/);
});

test('a failing metadata_host is reported with its URL', async () => {
  const origin = `https://127.0.0.1:${await closedPort()}`;
  await assert.rejects(cloudFromMetadataHost(origin, 'Public'), (err: unknown) => {
    assert.ok(AzchrootError.is(err));
    assert.equal(err.code, 'AZC_CLOUD_METADATA');
    assert.ok(err.message.includes(origin));
    return true;
  });
});
