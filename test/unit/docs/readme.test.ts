// The README is part of the product: it starts with the two commands a new user runs, and its
// option reference is generated from the schemas and covers every option of the reference page.

import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

test('the README begins with a real build on the emulator and the test command', () => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  assert.match(firstBlock, /npx azchroot build --emulator examples\/quickstart\.pkr\.hcl/);
  assert.match(firstBlock, /npm test/);
  assert.ok(readme.indexOf(firstBlock) < 400, 'the two commands come first');
});

test('the option reference in the README is the one generated from schemas/', async () => {
  const { readmeWithOptions } = (await import(join(root, 'scripts/options-doc.mjs'))) as { readmeWithOptions(s: string): string };
  assert.equal(readme, readmeWithOptions(readme), 'run: node scripts/options-doc.mjs --write');
});

// The reference page lives in ../shared beside the checkout (as in CI).
const seedPath = join(root, '../shared/seeds/000_9b2b5a76912f4a83.txt');
const noSeed = existsSync(seedPath) ? undefined : `the reference page ${seedPath} is not beside this checkout`;

test('every option of the azure-chroot reference is documented and accepted by the schema', { skip: noSeed }, () => {
  const seed = readFileSync(seedPath, 'utf8');
  const options = new Set([...seed.matchAll(/^\s*- `([a-z_]+)` \(/gm)].map((m) => m[1]!));
  assert.ok(options.size >= 40, `found only ${options.size} options in the reference`);
  const schema = JSON.parse(readFileSync(join(root, 'schemas/builders/azure-chroot.schema.json'), 'utf8')) as {
    properties: Record<string, { properties?: Record<string, unknown>; items?: { properties?: Record<string, unknown> } }>;
  };
  const known = new Set(Object.keys(schema.properties));
  const sid = schema.properties.shared_image_destination?.properties ?? {};
  for (const k of Object.keys(sid)) known.add(k);
  const regions = (sid as Record<string, { items?: { properties?: Record<string, unknown> } }>).target_regions?.items?.properties ?? {};
  for (const k of Object.keys(regions)) known.add(k);
  for (const option of options) {
    assert.ok(known.has(option), `schema lacks "${option}"`);
    assert.ok(readme.includes(`\`${option}\``), `README does not document "${option}"`);
  }
});
