// Rules and defaults for provisioners (shell, file, shell-local) and post-processors
// (manifest, shell-local), per templates.md §4.

import { existsSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import type { RawPostProcessor, RawProvisioner } from '../template/model.js';
import type { FileProvisioner, ManifestPostProcessor, PostProcessorConfig, ProvisionerCommon, ProvisionerConfig, ShellLocalProvisioner, ShellProvisioner } from './model.js';
import { parseGoDuration } from './duration.js';
import { bool, isSet, str, strList, strMap, type Report } from './report.js';

/** Provisioner settings from the reserved keys; reports bad durations. */
function common(raw: RawProvisioner, report: Report): ProvisionerCommon {
  const out: ProvisionerCommon = { maxRetries: raw.maxRetries ?? 0 };
  if (raw.name) out.name = raw.name;
  for (const [key, text, field] of [['pause_before', raw.pauseBefore, 'pauseBeforeMs'], ['timeout', raw.timeout, 'timeoutMs']] as const) {
    if (text === undefined || text === '') continue;
    const ms = parseGoDuration(text);
    if (ms === undefined || ms < 0) report.error('AZC_CONFIG_DURATION', `${key}: ${JSON.stringify(text)} is not a valid duration`, [key], 'use a Go duration such as "10s", "5m" or "1h30m"');
    else out[field] = ms;
  }
  return out;
}

/** exactly one of `keys` must be set (non-empty). */
function exactlyOne(c: Record<string, unknown>, keys: string[], report: Report, what: string): void {
  const set = keys.filter((k) => {
    const v = c[k];
    return Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v !== '' : v !== undefined && v !== null;
  });
  if (set.length === 1) return;
  const summary = set.length === 0 ? `${what}: one of ${keys.join(', ')} must be specified` : `${what}: only one of ${keys.join(', ')} can be specified (got ${set.join(', ')})`;
  report.error('AZC_CONFIG_EXCLUSIVE', summary, set.length ? [set[1]!] : [], set.length ? `remove all but one of ${set.join(', ')}` : undefined);
}

function checkScripts(c: Record<string, unknown>, cwd: string, report: Report): string[] | undefined {
  const list = [...(str(c, 'script') ? [str(c, 'script')!] : []), ...(strList(c, 'scripts') ?? [])];
  if (list.length === 0) return undefined;
  const key = str(c, 'script') ? 'script' : 'scripts';
  return list.map((p, i) => {
    const abs = resolve(cwd, p);
    if (!existsSync(abs)) report.error('AZC_CONFIG_SCRIPT', `Bad script '${p}': the file does not exist (looked at ${abs})`, key === 'script' ? ['script'] : ['scripts', i], 'relative paths are relative to the current directory');
    return abs;
  });
}

function envVars(c: Record<string, unknown>, report: Report): string[] {
  const vars = strList(c, 'environment_vars') ?? [];
  vars.forEach((kv, i) => {
    const eq = kv.indexOf('=');
    if (eq <= 0) report.error('AZC_CONFIG_ENV_VAR', `environment_vars[${i}]: ${JSON.stringify(kv)} is not in format 'key=value'`, ['environment_vars', i], 'for example "DEBIAN_FRONTEND=noninteractive"');
  });
  return vars;
}

function shellLocalCore(c: Record<string, unknown>, cwd: string, report: Report, what: string): Omit<ShellLocalProvisioner, 'type' | keyof ProvisionerCommon> {
  exactlyOne(c, ['command', 'inline', 'script', 'scripts'], report, what);
  const out: Omit<ShellLocalProvisioner, 'type' | keyof ProvisionerCommon> = {
    inlineShebang: str(c, 'inline_shebang') || '/bin/sh -e',
    environmentVars: envVars(c, report),
    env: strMap(c, 'env') ?? {},
    envVarFormat: str(c, 'env_var_format') || "%s='%s' ",
    executeCommand: strList(c, 'execute_command')?.length ? strList(c, 'execute_command')! : ['/bin/sh', '-c', '{{.Vars}} {{.Script}}'],
    validExitCodes: Array.isArray(c.valid_exit_codes) && c.valid_exit_codes.length ? (c.valid_exit_codes as number[]) : [0],
  };
  const command = str(c, 'command');
  if (command) out.command = command;
  const inline = strList(c, 'inline');
  if (inline?.length) out.inline = inline;
  const scripts = checkScripts(c, cwd, report);
  if (scripts) out.scripts = scripts;
  const onlyOn = strList(c, 'only_on');
  if (onlyOn) out.onlyOn = onlyOn;
  const ext = str(c, 'tempfile_extension');
  if (ext) out.tempfileExtension = ext;
  return out;
}

/** ProvisionerConfig of a validated provisioner body. */
export function buildProvisioner(raw: RawProvisioner, c: Record<string, unknown>, cwd: string, report: Report): ProvisionerConfig | undefined {
  const base = common(raw, report);
  switch (raw.type) {
    case 'shell': {
      exactlyOne(c, ['inline', 'script', 'scripts'], report, 'shell provisioner');
      const useEnvVarFile = bool(c, 'use_env_var_file');
      const folder = str(c, 'remote_folder') || '/tmp';
      const file = str(c, 'remote_file') || `script_${randomInt(0, 9999)}.sh`;
      const out: ShellProvisioner = {
        ...base, type: 'shell',
        inlineShebang: str(c, 'inline_shebang') || '/bin/sh -e',
        environmentVars: envVars(c, report),
        env: strMap(c, 'env') ?? {},
        envVarFormat: str(c, 'env_var_format') || (useEnvVarFile ? "export %s='%s'\n" : "%s='%s' "),
        useEnvVarFile,
        executeCommand: str(c, 'execute_command') || (useEnvVarFile ? 'chmod +x {{.Path}}; . {{.EnvVarFile}} && {{.Path}}' : 'chmod +x {{.Path}}; {{.Vars}} {{.Path}}'),
        remoteFolder: folder,
        remoteFile: file,
        remotePath: str(c, 'remote_path') || `${folder}/${file}`,
        skipClean: bool(c, 'skip_clean'),
        expectDisconnect: bool(c, 'expect_disconnect'),
        validExitCodes: Array.isArray(c.valid_exit_codes) && c.valid_exit_codes.length ? (c.valid_exit_codes as number[]) : [0],
        binary: bool(c, 'binary'),
      };
      const inline = strList(c, 'inline');
      if (inline?.length) out.inline = inline;
      const scripts = checkScripts(c, cwd, report);
      if (scripts) out.scripts = scripts;
      return out;
    }
    case 'file': {
      if (!str(c, 'destination')) report.error('AZC_CONFIG_REQUIRED', 'file provisioner: destination is required', [], 'set destination to the path inside the chroot');
      const sources = [...(str(c, 'source') ? [str(c, 'source')!] : []), ...(strList(c, 'sources') ?? [])];
      if (sources.length === 0 && !isSet(c, 'content')) report.error('AZC_CONFIG_REQUIRED', 'file provisioner: one of source, sources or content is required', []);
      if (sources.length > 0 && isSet(c, 'content')) report.error('AZC_CONFIG_EXCLUSIVE', 'file provisioner: content cannot be combined with source or sources', ['content']);
      const out: FileProvisioner = {
        ...base, type: 'file', sources,
        destination: str(c, 'destination') ?? '',
        direction: str(c, 'direction') === 'download' ? 'download' : 'upload',
        generated: bool(c, 'generated'),
      };
      if (isSet(c, 'content')) out.content = str(c, 'content') ?? '';
      return out;
    }
    case 'shell-local':
      return { ...base, type: 'shell-local', ...shellLocalCore(c, cwd, report, 'shell-local provisioner') };
    default:
      return undefined;
  }
}

/** PostProcessorConfig of a validated post-processor body. */
export function buildPostProcessor(raw: RawPostProcessor, c: Record<string, unknown>, cwd: string, report: Report): PostProcessorConfig | undefined {
  const named = { ...(raw.name ? { name: raw.name } : {}), ...(raw.keepInputArtifact !== undefined ? { keepInputArtifact: raw.keepInputArtifact } : {}) };
  if (raw.type === 'manifest') {
    const out: ManifestPostProcessor = { type: 'manifest', ...named, output: str(c, 'output') || 'packer-manifest.json', stripPath: bool(c, 'strip_path'), stripTime: bool(c, 'strip_time') };
    const custom = strMap(c, 'custom_data');
    if (custom) out.customData = custom;
    return out;
  }
  if (raw.type === 'shell-local') return { type: 'shell-local', ...named, ...shellLocalCore(c, cwd, report, 'shell-local post-processor') };
  return undefined;
}
