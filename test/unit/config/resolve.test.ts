import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBuild, validateTemplate } from '../../../src/config/resolve.js';
import type { Diagnostic } from '../../../src/diagnostics.js';
import type { RawBuild } from '../../../src/template/model.js';
import { BASE_BUILDER, OPTIONS, postProcessor, provisioner, rawBuild, template } from './fixtures.js';

const GIB = { os_disk_size_gb: 30 };
const SIG = { resource_group: 'rg', gallery_name: 'g', image_name: 'i', image_version: '1.0.0', target_regions: [{ name: 'westeurope' }] };

function resolve(builder: Record<string, unknown>, more: Partial<RawBuild> = {}, kind: 'hcl2' | 'json' = 'hcl2') {
  const build = rawBuild(builder, more);
  return resolveBuild(build, template([build], { kind }), OPTIONS);
}

function find(diags: Diagnostic[], pattern: RegExp): Diagnostic | undefined {
  return diags.find((d) => pattern.test(d.summary));
}

// [name, builder body, expected diagnostic summary, severity, extra build parts]
const DIAGNOSTIC_CASES: [string, Record<string, unknown>, RegExp, 'error' | 'warning', Partial<RawBuild>?][] = [
  ['from_scratch needs os_disk_size_gb', { from_scratch: true, pre_mount_commands: ['x'], image_resource_id: BASE_BUILDER.image_resource_id }, /^os_disk_size_gb is required with from_scratch$/, 'error'],
  ['from_scratch needs pre_mount_commands', { from_scratch: true, ...GIB, image_resource_id: BASE_BUILDER.image_resource_id }, /^pre_mount_commands is required with from_scratch$/, 'error'],
  ['from_scratch forbids source', { ...BASE_BUILDER, from_scratch: true, ...GIB, pre_mount_commands: ['x'] }, /^source cannot be specified when building from_scratch/, 'error'],
  ['from_scratch forbids lvm_root_device', { from_scratch: true, ...GIB, pre_mount_commands: ['x'], lvm_root_device: '/dev/vg/root', image_resource_id: BASE_BUILDER.image_resource_id }, /^lvm_root_device cannot be specified when building from_scratch$/, 'error'],
  ['bad source', { ...BASE_BUILDER, source: 'Canonical:Ubuntu:22' }, /^source: "Canonical:Ubuntu:22" is not a valid platform image specifier, nor is it a disk resource ID$/, 'error'],
  ['missing source', { image_resource_id: BASE_BUILDER.image_resource_id }, /^source is required/, 'error'],
  ['source id of the wrong type', { ...BASE_BUILDER, source: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/snapshots/x' }, /is not a valid platform image specifier/, 'error'],
  ['cache type enum', { ...BASE_BUILDER, os_disk_cache_type: 'Readonly' }, /^os_disk_cache_type: "Readonly" is not a valid value$/, 'error'],
  ['data cache type enum', { ...BASE_BUILDER, data_disk_cache_type: 'Write' }, /^data_disk_cache_type: "Write" is not a valid value$/, 'error'],
  ['storage SKU enum', { ...BASE_BUILDER, os_disk_storage_account_type: 'Premium' }, /^os_disk_storage_account_type: "Premium" is not a valid value$/, 'error'],
  ['hyper-V generation enum', { ...BASE_BUILDER, image_hyperv_generation: 'V3' }, /^image_hyperv_generation: "V3" is not a valid value$/, 'error'],
  ['image_resource_id type', { ...BASE_BUILDER, image_resource_id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/disks/d' }, /^image_resource_id: ".*" is not a valid image resource id$/, 'error'],
  ['image_resource_id malformed', { ...BASE_BUILDER, image_resource_id: 'myimage' }, /is not a valid image resource id/, 'error'],
  ['no output', { source: BASE_BUILDER.source }, /^image_resource_id or shared_image_destination is required$/, 'error'],
  ['SIG required fields', { source: BASE_BUILDER.source, shared_image_destination: { resource_group: 'rg', image_name: 'i', image_version: '1.0.0' } }, /^shared_image_destination\.gallery_name is required$/, 'error'],
  ['PremiumV2 OS disk', { ...BASE_BUILDER, os_disk_storage_account_type: 'PremiumV2_LRS' }, /^os_disk_storage_account_type: "PremiumV2_LRS" cannot be used for an OS disk$/, 'error'],
  ['Ultra OS disk', { ...BASE_BUILDER, os_disk_storage_account_type: 'UltraSSD_LRS' }, /^os_disk_storage_account_type: "UltraSSD_LRS" cannot be used for an OS disk$/, 'error'],
  ['duplicate target regions', { source: BASE_BUILDER.source, shared_image_destination: { ...SIG, target_regions: [{ name: 'westeurope' }, { name: 'West Europe' }] } }, /^shared_image_destination\.target_regions\[1\]: "West Europe" is the same region as target_regions\[0\] \("westeurope"\)$/, 'error'],
  ['SIG version pattern', { source: BASE_BUILDER.source, shared_image_destination: { ...SIG, image_version: '1.0' } }, /image_version: "1\.0" should match/, 'error'],
  ['SIG empty target regions', { source: BASE_BUILDER.source, shared_image_destination: { ...SIG, target_regions: [] } }, /target_regions is empty/, 'warning'],
  ['SIG exlude_from_latest typo', { source: BASE_BUILDER.source, shared_image_destination: { ...SIG, exlude_from_latest: true } }, /exlude_from_latest is being deprecated, please use exclude_from_latest/, 'warning'],
  ['SIG region without a name', { source: BASE_BUILDER.source, shared_image_destination: { ...SIG, target_regions: [{ replicas: 2 }] } }, /target_regions\[0\]\.name is required/, 'error'],
  ['two SIG blocks in HCL', { source: BASE_BUILDER.source, shared_image_destination: [SIG, SIG] }, /^only one shared_image_destination block is allowed, got 2$/, 'error'],
  ['mount_partition letters', { ...BASE_BUILDER, mount_partition: 'root' }, /^mount_partition: "root" is not a partition number$/, 'error'],
  ['chroot_mounts pair', { ...BASE_BUILDER, chroot_mounts: [['proc', '/proc']] }, /^chroot_mounts\[0\]: .* is not a \[fstype, source, target\] triple/, 'error'],
  ['chroot_mounts relative target', { ...BASE_BUILDER, chroot_mounts: [['proc', 'proc', 'proc']] }, /target "proc" is not an absolute path/, 'error'],
  ['lvm_root_device traversal', { ...BASE_BUILDER, lvm_root_device: '/dev/../etc/passwd' }, /must not contain path traversal/, 'error'],
  ['lvm_root_device not under /dev', { ...BASE_BUILDER, lvm_root_device: '/mnt/x' }, /must be an absolute device path starting with \/dev\//, 'error'],
  ['lvm_root_device control characters', { ...BASE_BUILDER, lvm_root_device: '/dev/vg/root\n' }, /contains invalid whitespace or control characters/, 'error'],
  ['unknown cloud', { ...BASE_BUILDER, cloud_environment_name: 'Mars' }, /there is no cloud environment matching the name "Mars"/, 'error'],
  ['German cloud deprecated', { ...BASE_BUILDER, cloud_environment_name: 'AzureGermanCloud' }, /"AzureGermanCloud" is deprecated/, 'warning'],
  ['temporary disk id of the wrong type', { ...BASE_BUILDER, temporary_os_disk_id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/snapshots/x' }, /^temporary_os_disk_id: .* is not a Microsoft.Compute\/disks resource id$/, 'error'],
  ['temporary snapshot prefix of the wrong type', { ...BASE_BUILDER, temporary_data_disk_snapshot_id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/disks/x-' }, /temporary_data_disk_snapshot_id: .* is not a Microsoft.Compute\/snapshots resource id/, 'error'],
  ['publish_timeout not a duration', { ...BASE_BUILDER, publish_timeout: '60 minutes' }, /publish_timeout: "60 minutes" is not a positive duration/, 'error'],
  ['wrong type: integer', { ...BASE_BUILDER, os_disk_size_gb: 'big' }, /^os_disk_size_gb: expected a whole number, got string "big"$/, 'error'],
  ['wrong type: boolean', { ...BASE_BUILDER, skip_cleanup: 'maybe' }, /^skip_cleanup: expected a boolean \(true or false\), got string "maybe"$/, 'error'],
  ['wrong type: object', { ...BASE_BUILDER, shared_image_destination: 'gallery' }, /^shared_image_destination: expected an object/, 'error'],
  ['unknown key far from any option', { ...BASE_BUILDER, flavour: 'x' }, /^unknown option "flavour"$/, 'error'],
  ['phase: typo in a placeholder', { ...BASE_BUILDER, pre_mount_commands: ['mkfs {{.Devise}}'] }, /^pre_mount_commands: \{\{\.Devise\}\} is not available/, 'error'],
  ['phase: MountPath before mounting', { ...BASE_BUILDER, pre_mount_commands: ['ls {{.MountPath}}'] }, /^pre_mount_commands: \{\{\.MountPath\}\} is not available/, 'error'],
  ['phase: Device in command_wrapper', { ...BASE_BUILDER, command_wrapper: 'sudo {{.Device}}' }, /^command_wrapper: \{\{\.Device\}\} is not available/, 'error'],
  ['phase: unknown function in a deferred field', { ...BASE_BUILDER, mount_path: '/mnt/{{ uper .Device }}' }, /^mount_path: function "uper" not defined/, 'error'],
  ['render: unknown function', { ...BASE_BUILDER, image_resource_id: '/subscriptions/{{ nope }}/x' }, /^image_resource_id: template: root:1:\d+: function "nope" not defined$/, 'error'],
  ['render: env outside variables', { ...BASE_BUILDER, subscription_id: '{{env `X`}}' }, /env vars are not allowed here/, 'error'],
  ['render: build data in a builder field', { ...BASE_BUILDER, image_resource_id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/images/{{ build `ID` }}' }, /^image_resource_id: build data cannot be used here$/, 'error'],
  ['unknown builder type', BASE_BUILDER, /^unknown builder type "azure-arm"$/, 'error', { sourceType: 'azure-arm' }],
];

for (const [name, builder, summary, severity, more] of DIAGNOSTIC_CASES) {
  test(`config: ${name}`, () => {
    const { config, diagnostics } = resolve(builder, more);
    const d = find(diagnostics, summary);
    assert.ok(d, `no diagnostic matching ${summary}; got:\n${diagnostics.map((x) => x.summary).join('\n')}`);
    assert.equal(d.severity, severity);
    assert.ok(d.path?.startsWith('source.azure-chroot.example'), `path ${d.path}`);
    if (severity === 'error') assert.equal(config, undefined);
  });
}

const PROVISIONER_CASES: [string, Partial<RawBuild>, RegExp][] = [
  ['shell with inline and script', { provisioners: [provisioner('shell', { inline: ['a'], script: '/etc/hostname' })] }, /only one of inline, script, scripts can be specified/],
  ['shell with nothing', { provisioners: [provisioner('shell', {})] }, /shell provisioner: one of inline, script, scripts must be specified/],
  ['shell script missing', { provisioners: [provisioner('shell', { script: 'no-such-script.sh' })] }, /^Bad script 'no-such-script.sh'/],
  ['shell environment_vars format', { provisioners: [provisioner('shell', { inline: ['a'], environment_vars: ['NOEQUALS'] })] }, /environment_vars\[0\]: "NOEQUALS" is not in format 'key=value'/],
  ['file needs destination', { provisioners: [provisioner('file', { source: 'a' })] }, /file provisioner: destination is required/],
  ['file needs a source', { provisioners: [provisioner('file', { destination: '/x' })] }, /one of source, sources or content is required/],
  ['shell-local exactly one', { provisioners: [provisioner('shell-local', { command: 'a', inline: ['b'] })] }, /shell-local provisioner: only one of command, inline, script, scripts/],
  ['pause_before duration', { provisioners: [provisioner('shell', { inline: ['a'] }, { pauseBefore: '10 seconds' })] }, /pause_before: "10 seconds" is not a valid duration/],
  ['timeout duration', { provisioners: [provisioner('shell', { inline: ['a'] }, { timeout: '5x' })] }, /timeout: "5x" is not a valid duration/],
  ['unknown provisioner type', { provisioners: [provisioner('ansible', {})] }, /unknown provisioner type "ansible"/],
  ['unknown post-processor type', { postProcessors: [[postProcessor('compress', {})]] }, /unknown post-processor type "compress"/],
  ['shell-local post-processor', { postProcessors: [[postProcessor('shell-local', {})]] }, /shell-local post-processor: one of command, inline, script, scripts must be specified/],
  ['provisioner phase error', { provisioners: [provisioner('shell', { inline: ['a'], execute_command: '{{.Vars}} {{.Script}}' })] }, /execute_command: \{\{\.Script\}\} is not available/],
  ['unknown provisioner option', { provisioners: [provisioner('shell', { inlne: ['a'] })] }, /unknown option "inlne"/],
];

for (const [name, more, summary] of PROVISIONER_CASES) {
  test(`config: ${name}`, () => {
    const { config, diagnostics } = resolve(BASE_BUILDER, more);
    assert.ok(find(diagnostics, summary), `no diagnostic matching ${summary}; got:\n${diagnostics.map((x) => x.summary).join('\n')}`);
    assert.equal(config, undefined);
  });
}

test('config: did you mean for a misspelt key, with its position', () => {
  const { diagnostics } = resolve({ ...BASE_BUILDER, mount_pth: '/mnt/x' });
  const d = find(diagnostics, /unknown option "mount_pth"/)!;
  assert.equal(d.detail, 'did you mean "mount_path"?');
  assert.deepEqual(d.pos, { file: '/work/t/build.pkr.hcl', line: 12, column: 3 });
  assert.equal(d.path, 'source.azure-chroot.example.mount_pth');
});

test('config: enum errors list the allowed values', () => {
  const { diagnostics } = resolve({ ...BASE_BUILDER, os_disk_cache_type: 'Readonly' });
  assert.match(find(diagnostics, /os_disk_cache_type/)!.detail!, /^allowed: None, ReadOnly, ReadWrite; did you mean "ReadOnly"\?$/);
});

test('config: all errors are collected, none dropped by another rule', () => {
  const { diagnostics } = resolve({ source: 'bad', image_resource_id: 'bad', mount_partition: 'x', cloud_environment_name: 'Mars' });
  for (const re of [/source: "bad"/, /image_resource_id: "bad"/, /mount_partition/, /Mars/]) assert.ok(find(diagnostics, re), String(re));
});

test('config: defaults', () => {
  const { config, diagnostics } = resolve(BASE_BUILDER);
  assert.deepEqual(diagnostics, []);
  const b = config!.builder;
  assert.equal(b.mountPath, '/mnt/packer-azure-chroot-disks/{{.Device}}');
  assert.equal(b.commandWrapper, '{{.Command}}');
  assert.equal(b.mountPartition, '1');
  assert.equal(b.osDiskStorageAccountType, 'Premium_LRS');
  assert.equal(b.dataDiskCacheType, 'ReadOnly');
  assert.deepEqual(b.copyFiles, ['/etc/resolv.conf']);
  assert.equal(b.chrootMounts.length, 5);
  assert.deepEqual(b.chrootMounts[2], ['bind', '/dev', '/dev']);
  assert.equal(b.imageHypervGeneration, undefined);
  assert.equal(b.publishTimeoutMs, 3_600_000);
  assert.deepEqual(b.source, { kind: 'platform', publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts', version: 'latest' });
  assert.equal(b.auth.cloudEnvironmentName, 'Public');
});

test('config: empty chroot_mounts re-enables the defaults; explicit empty copy_files copies nothing', () => {
  const b = resolve({ ...BASE_BUILDER, chroot_mounts: [], copy_files: [] }).config!.builder;
  assert.equal(b.chrootMounts.length, 5);
  assert.deepEqual(b.copyFiles, []);
});

test('config: from_scratch copies no files and is generation V1', () => {
  const b = resolve({ from_scratch: true, ...GIB, pre_mount_commands: ['sfdisk {{.Device}}'], image_resource_id: BASE_BUILDER.image_resource_id }).config!.builder;
  assert.deepEqual(b.source, { kind: 'scratch' });
  assert.deepEqual(b.copyFiles, []);
  assert.equal(b.imageHypervGeneration, 'V1');
  assert.deepEqual(b.preMountCommands, ['sfdisk {{.Device}}']);
});

test('config: source kinds', () => {
  const disk = '/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/disks/d';
  const version = '/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0';
  assert.deepEqual(resolve({ ...BASE_BUILDER, source: disk }).config!.builder.source, { kind: 'disk', id: disk });
  assert.deepEqual(resolve({ ...BASE_BUILDER, source: version }).config!.builder.source, { kind: 'gallery', id: version });
});

test('config: temporary ids use the vm placeholders in validate mode and differ per run and build', () => {
  const a = resolve(BASE_BUILDER).config!.builder;
  assert.match(a.temporaryOsDiskId, /^\/subscriptions\/00000000-0000-0000-0000-000000000000\/resourceGroups\/validate-resource-group\/providers\/Microsoft\.Compute\/disks\/PackerTemp-osdisk-1795300773-[0-9a-f]{8}$/);
  assert.match(a.temporaryDataDiskSnapshotIdPrefix, /\/snapshots\/PackerTemp-datadisk-snapshot-1795300773-[0-9a-f]{8}-$/);
  const build = rawBuild(BASE_BUILDER);
  const otherRun = resolveBuild(build, template([build]), { ...OPTIONS, runUuid: 'other-run' }).config!.builder;
  const otherBuild = resolve(BASE_BUILDER, { name: 'two.azure-chroot.example' }).config!.builder;
  assert.notEqual(otherRun.temporaryOsDiskId, a.temporaryOsDiskId);
  assert.notEqual(otherBuild.temporaryOsDiskId, a.temporaryOsDiskId);
  assert.equal(resolve(BASE_BUILDER).config!.builder.temporaryOsDiskId, a.temporaryOsDiskId);
});

test('config: vm and timestamp render in builder fields', () => {
  const id = '/subscriptions/{{vm `subscription_id`}}/resourceGroups/{{vm `resource_group`}}/providers/Microsoft.Compute/images/img-{{timestamp}}';
  assert.equal(resolve({ ...BASE_BUILDER, image_resource_id: id }).config!.builder.imageResourceId,
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/validate-resource-group/providers/Microsoft.Compute/images/img-1795300773');
});

test('config: JSON user variables and weak typing', () => {
  const build = rawBuild({ ...BASE_BUILDER, os_disk_size_gb: '{{user `size`}}', skip_cleanup: 'true', copy_files: '/etc/hosts' });
  const { config, diagnostics } = resolveBuild(build, template([build], { kind: 'json', userVars: { size: '64' } }), OPTIONS);
  assert.deepEqual(diagnostics, []);
  assert.equal(config!.builder.osDiskSizeGb, 64);
  assert.equal(config!.builder.skipCleanup, true);
  assert.deepEqual(config!.builder.copyFiles, ['/etc/hosts']);
});

test('config: HCL blocks are unwrapped and SIG defaults applied', () => {
  const { config } = resolve({ source: BASE_BUILDER.source, shared_image_destination: [{ ...SIG, exlude_from_latest: true, target_regions: [{ name: 'westeurope' }, { name: 'northeurope', replicas: 3, storage_account_type: 'Standard_ZRS' }] }] });
  const d = config!.builder.sharedImageDestination!;
  assert.equal(d.galleryName, 'g');
  assert.equal(d.excludeFromLatest, true);
  assert.deepEqual(d.targetRegions, [
    { name: 'westeurope', replicas: 1, storageAccountType: 'Standard_LRS' },
    { name: 'northeurope', replicas: 3, storageAccountType: 'Standard_ZRS' },
  ]);
});

test('config: deferred fields keep their text; secrets are collected', () => {
  const build = rawBuild({ ...BASE_BUILDER, client_secret: 's3cret', command_wrapper: 'sudo {{.Command}}', post_mount_commands: ['ls {{.MountPath}} {{ build `SourceImageName` }}'] });
  const { config } = resolveBuild(build, template([build], { sensitiveValues: ['hidden'] }), OPTIONS);
  assert.equal(config!.builder.commandWrapper, 'sudo {{.Command}}');
  assert.deepEqual(config!.builder.postMountCommands, ['ls {{.MountPath}} {{ build `SourceImageName` }}']);
  assert.deepEqual(config!.secrets.sort(), ['hidden', 's3cret']);
  assert.equal(config!.builder.auth.clientSecret, 's3cret');
});

test('config: provisioner and post-processor defaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-config-'));
  try {
    writeFileSync(join(dir, 'setup.sh'), 'echo hi\n');
    const build = rawBuild(BASE_BUILDER, {
      provisioners: [provisioner('shell', { script: 'setup.sh', environment_vars: ['A=1'] }, { pauseBefore: '1m30s', maxRetries: 2 }), provisioner('file', { content: 'x', destination: '/etc/x' })],
      postProcessors: [[postProcessor('manifest', { custom_data: [{ src: '{{ build `SourceImageName` }}' }] })]],
    });
    const { config, diagnostics } = resolveBuild(build, template([build]), { ...OPTIONS, cwd: dir });
    assert.deepEqual(diagnostics, []);
    const [shell, file] = config!.provisioners;
    if (shell?.type !== 'shell') assert.fail(`expected a shell provisioner, got ${shell?.type}`);
    assert.deepEqual(shell.scripts, [join(dir, 'setup.sh')]);
    assert.equal(shell.executeCommand, 'chmod +x {{.Path}}; {{.Vars}} {{.Path}}');
    assert.equal(shell.inlineShebang, '/bin/sh -e');
    assert.equal(shell.pauseBeforeMs, 90_000);
    assert.equal(shell.maxRetries, 2);
    assert.match(shell.remotePath, /^\/tmp\/script_\d+\.sh$/);
    assert.deepEqual(file, { maxRetries: 0, type: 'file', sources: [], destination: '/etc/x', direction: 'upload', generated: false, content: 'x' });
    assert.deepEqual(config!.postProcessors, [[{ type: 'manifest', output: 'packer-manifest.json', stripPath: false, stripTime: false, customData: { src: '{{ build `SourceImageName` }}' } }]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('config: validateTemplate covers every build', () => {
  const good = rawBuild(BASE_BUILDER);
  const bad = rawBuild({ source: 'x' }, { name: 'bad' });
  const diags = validateTemplate(template([good, bad]), OPTIONS);
  assert.ok(diags.some((d) => /source: "x"/.test(d.summary)));
  assert.ok(diags.some((d) => /image_resource_id or shared_image_destination is required/.test(d.summary)));
});
