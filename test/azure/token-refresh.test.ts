// Long builds outlive their tokens: the credentials azchroot builds fetch new ones. The emulator
// issues tokens that expire after two seconds and refuses expired ones with 401.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectAzure } from '../../src/azure/connect.js';
import type { AuthConfig } from '../../src/config/model.js';
import type { RunningEmulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/index.js';

let stateDir: string;
let emulator: RunningEmulator;

before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'azc-refresh-'));
  // No clock skew: a token is refused the moment it expires.
  emulator = await startEmulator({ stateDir, quiet: true, tokenLifetimeSeconds: 2, tokenClockSkewSeconds: 0, directory: { applications: [{ appId: 'app-refresh', secrets: ['long-build-secret'] }] } });
});

after(async () => {
  try {
    await emulator?.stop();
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

function requestsTo(pathPart: string): number {
  return readFileSync(join(stateDir, 'requests.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .filter((l) => (JSON.parse(l) as { path: string }).path.includes(pathPart)).length;
}

for (const [label, auth, tokenPath] of [
  ['managed identity', { cloudEnvironmentName: 'Public', useAzureCliAuth: false }, '/metadata/identity/oauth2/token'],
  ['client secret', { cloudEnvironmentName: 'Public', useAzureCliAuth: false, clientId: 'app-refresh', clientSecret: 'long-build-secret' }, '/oauth2/v2.0/token'],
] as const) {
  test(`${label}: calls keep working after the first token expired, with a new token`, async () => {
    const { azure, vm } = await connectAzure({ auth: auth as AuthConfig, emulator: emulator.endpoints, signal: new AbortController().signal });
    const before = requestsTo(tokenPath);
    assert.ok(before >= 1, 'signed in once');
    // Each call is separated by more than a token's lifetime: a cached, expired token would get 401.
    for (let i = 0; i < 3; i++) {
      await sleep(2200);
      assert.deepEqual(await azure.vm.listDataDisks(vm), []);
    }
    assert.ok(requestsTo(tokenPath) > before, `new tokens were fetched (${tokenPath})`);
  });
}
