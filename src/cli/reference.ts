// The exit codes and environment variables of the CLI, in one place: `--help` prints them and a
// docs test holds the README and the code to this list.

export const EXIT_CODES: readonly [code: number, meaning: string][] = [
  [0, 'success; for validate, a valid template'],
  [1, 'a build failed, or its cleanup could not remove everything; for validate, an invalid template'],
  [2, 'a usage error, or (build) a template error; nothing was created'],
  [130, 'a second interruption: exited at once, printing what may be left'],
];

export const ENVIRONMENT: readonly [name: string, meaning: string][] = [
  ['PKR_VAR_<name>', 'a template variable, as in Packer (-var and -var-file win)'],
  ['PACKER_LOG, PACKER_LOG_PATH', "Packer's log switches: PACKER_LOG=1 logs every message to PACKER_LOG_PATH, or to stderr"],
  ['AZCHROOT_LOG, AZCHROOT_LOG_PATH', 'AZCHROOT_LOG=1 writes the debug log to AZCHROOT_LOG_PATH (default ./azchroot.log)'],
  ['AZCHROOT_DEBUG', 'AZCHROOT_DEBUG=1 is --debug on every command'],
  ['NO_COLOR', 'no colours in the terminal view (as -color=false)'],
  ['ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID, ARM_CLOUD', 'the service principal and cloud of azchroot cleanup (else the managed identity)'],
  ['AZURE_CONFIG_DIR', 'where use_azure_cli_auth finds the Azure CLI profile (default ~/.azure)'],
  ['AZCHROOT_DEVICE_TIMEOUT_MS', 'how long to wait for the attached disk\'s device (default 180000)'],
  ['AZCHROOT_AZURE_RETRY_DEADLINE_MS', 'time budget of one Azure operation with its retries (default 10 min)'],
  ['AZCHROOT_AZURE_MAX_RETRY_AFTER_MS', 'longest wait a Retry-After header may impose (default 120 s)'],
  ['AZCHROOT_AZURE_RETRY_BASE_MS, AZCHROOT_AZURE_RETRY_MAX_MS', 'first and longest back-off delay (default 2 s and 60 s)'],
  ['AZCHROOT_AZURE_REQUEST_TIMEOUT_MS', 'time limit of one HTTP request to Azure (default 120 s)'],
  ['AZCHROOT_EMULATOR_AZURE_MODE, AZCHROOT_EMULATOR_SEED', "the emulator's real-Azure mode and its seed (emulator serve)"],
];

/** The `Exit codes:` and `Environment:` sections of --help. */
export function referenceHelp(): string {
  const width = Math.max(...ENVIRONMENT.map(([n]) => Math.min(n.length, 34)));
  const codes = EXIT_CODES.map(([c, m]) => `  ${String(c).padEnd(4)}${m}`).join('\n');
  const env = ENVIRONMENT.map(([n, m]) => (n.length > 34 ? `  ${n}\n  ${''.padEnd(width)}  ${m}` : `  ${n.padEnd(width)}  ${m}`)).join('\n');
  return `Exit codes:\n${codes}\n\nEnvironment:\n${env}`;
}
