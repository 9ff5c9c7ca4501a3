// Secrets never reach output: a sensitive variable and client_secret, echoed by a provisioner (to
// stdout, stderr, through an environment variable), show as <sensitive> in plain and JSON output,
// in the --log-file, and in error output (also with --trace); the image still gets the real value.

import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, show, type CliResult } from './helpers/cli.js';
import { withExportedRoot, readInImage } from './helpers/exported.js';
import { skipReason } from './helpers/host.js';
import { assertNothingLeft } from './helpers/leftovers.js';
import { useSuite, workspace, type Workspace } from './helpers/suite.js';
import { ids, nextVersion, writeTemplate } from './helpers/template.js';

const skip = skipReason();

const TOKEN = 'tok-9f3b-sensitive-variable-value';
const CLIENT_SECRET = 'cs-71aa-client-secret-value';
const TENANT = '00000000-0000-0000-0000-0000000000aa';
const suite = useSuite(skip, { applications: [{ appId: '11111111-2222-3333-4444-555555555555', secrets: [CLIENT_SECRET] }] });

const head = `
variable "token" {
  type      = string
  default   = "${TOKEN}"
  sensitive = true
}

variable "sp_secret" {
  type    = string
  default = "${CLIENT_SECRET}"
}
`;

// client_secret comes from a variable that is not marked sensitive: being a builder secret is enough.
const credentials = `  client_id       = "11111111-2222-3333-4444-555555555555"
  client_secret   = var.sp_secret
  tenant_id       = "${TENANT}"
  subscription_id = "${ids.sub}"
`;

function provisioner(fail: boolean): string {
  return `  provisioner "shell" {
    environment_vars = ["TOKEN=\${var.token}"]
    inline = [
      "echo token on stdout: \${var.token}",
      "echo secret on stderr: \${var.sp_secret} >&2",
      "echo token from env: $TOKEN",
      "echo \${var.token} > /etc/token",${fail ? `\n      "echo failing with \${var.token}; exit 9",` : ''}
    ]
  }
`;
}

async function secretBuild(ws: Workspace, fail: boolean, flags: string[]): Promise<{ r: CliResult; version: string }> {
  const version = nextVersion();
  const template = await writeTemplate(ws.dir, { mountRoot: ws.mountRoot, head, sourceExtra: credentials, galleryVersion: version, provisioners: provisioner(fail) });
  return { r: await runCli(ws.defer, ws.buildArgs(...flags, template)), version };
}

function assertMasked(text: string, where: string): void {
  assert.ok(!text.includes(TOKEN), `the sensitive variable leaked into ${where}:\n${text}`);
  assert.ok(!text.includes(CLIENT_SECRET), `client_secret leaked into ${where}:\n${text}`);
}

/** Every file under the journal state dir (journals, locks). */
async function journalText(ws: Workspace): Promise<string> {
  // Live journals and the retired ones of finished builds (journal/done/).
  const dir = join(ws.journalState, 'journal');
  const paths = [...(await readdir(dir)).map((n) => join(dir, n)), ...(await readdir(join(dir, 'done')).catch(() => [] as string[])).map((n) => join(dir, 'done', n))];
  const files = paths.filter((p) => p.endsWith('.jsonl'));
  assert.ok(files.length > 0, 'the build wrote a journal');
  return (await Promise.all(files.map((p) => readFile(p, 'utf8')))).join('\n');
}

test('plain output and --log-file show <sensitive> for the sensitive variable and client_secret', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const logFile = join(ws.dir, 'build.log');
  const { r, version } = await secretBuild(ws, false, ['--log-file', logFile]);

  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, /using service principal 11111111-2222-3333-4444-555555555555 \(client secret\)/, 'signed in with the client secret');
  assertMasked(r.stdout, 'stdout');
  assertMasked(r.stderr, 'stderr');
  assert.match(r.stdout, /token on stdout: <sensitive>/);
  assert.match(r.stdout + r.stderr, /secret on stderr: <sensitive>/);
  assert.match(r.stdout, /token from env: <sensitive>/);
  const log = await readFile(logFile, 'utf8');
  assertMasked(log, 'the log file');
  assert.match(log, /token on stdout: <sensitive>/);
  assertMasked(await journalText(ws), 'the build journal');
  await assertNothingLeft(suite, ws);
  // Masking is for output only: the image holds the real value the provisioner wrote.
  await withExportedRoot(suite.state, ids.galleryVersion(version), ws.dir, async (root) => {
    assert.equal((await readInImage(root, 'etc/token'))?.trim(), TOKEN);
  });
});

test('--json events and the error output of a failing provisioner (with --trace) show <sensitive>', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const { r } = await secretBuild(ws, true, ['--json', '--trace']);

  assert.equal(r.code, 1, show(r));
  assertMasked(r.stdout, 'the JSON events');
  assertMasked(r.stderr, 'the error output');
  const events = r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { message?: string; level?: string });
  assert.ok(events.length > 5, 'stdout holds JSON events only');
  assert.ok(events.some((e) => /token on stdout: <sensitive>/.test(e.message ?? '')), 'the echoed token is an event, masked');
  assert.match(r.stderr, /Script exited with non-zero exit status: 9/);
  assert.match(r.stderr, /failing with <sensitive>/, 'the output tail in the error is masked too');
  await assertNothingLeft(suite, ws);
});
