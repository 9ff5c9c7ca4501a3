// The command table: flags → options → lazily imported command handlers. No business logic here;
// `validate`, `inspect` and `--help` never load the Azure SDK or listr2.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { normalizeArgv, parseVarFlag } from './normalize-argv.js';
import { renderError } from './render-error.js';
import { VERSION } from '../version.js';
import { quickstartExample } from './examples-path.js';
import { referenceHelp } from './reference.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const collectVar = (value: string, previous: [string, string][] = []) => {
  try {
    return [...previous, parseVarFlag(value)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};
/** Packer's boolean flag values: -color, -color=true, -color=false (also 1/0). */
function parseBool(value: string): boolean {
  if (/^(true|1|t)$/i.test(value)) return true;
  if (/^(false|0|f)$/i.test(value)) return false;
  throw new InvalidArgumentError('expected true or false');
}

/** A whole number >= 0 for a count flag. */
function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number (0 or more)');
  return Number(value);
}

// Commas separate globs, except inside {a,b} alternatives.
const collectList = (value: string, previous: string[] = []) => [...previous, ...value.split(/,(?![^{]*\})/).filter(Boolean)];

/** Template-selection flags shared by validate, inspect and build. */
function templateFlags(cmd: Command): Command {
  return cmd
    .option('--var <name=value>', 'set a template variable (repeatable)', collectVar)
    .option('--var-file <file>', 'read variables from a file (repeatable, in order)', collect)
    .option('--only <builds>', 'only these builds (comma-separated globs)', collectList)
    .option('--except <builds>', 'all builds but these (comma-separated globs)', collectList);
}

/** Builds the commander program. Exported for tests. */
export function createProgram(typed: readonly string[] = []): Command {
  const program = new Command('azchroot')
    .description('Build Azure Linux images from a chroot on a golden-image VM, from Packer azure-chroot templates.')
    // A usage error names a flag as the user typed it (`-color`, not the `--color` it became).
    .configureOutput({ outputError: (text, write) => write(asTyped(text, typed)) })
    .option('--trace', 'show stack traces and debug output (also AZCHROOT_DEBUG=1)')
    .option('--debug', 'the same as --trace, except for build, where -debug is Packer\'s: pause before each step')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false })
    .addHelpText('after', () => `
Flags also take Packer's single-dash form: -var k=v, -var-file=f, -only=x, -syntax-only, -force, -on-error=abort.

${referenceHelp()}

Try it without Azure: sudo azchroot build --emulator ${quickstartExample()}`)
    .exitOverride();

  templateFlags(program.command('validate').description('check a template without building; never calls Azure'))
    .argument('<template>', 'a .pkr.hcl/.pkr.json/.json file or a directory')
    .option('--syntax-only', 'check syntax only')
    .option('--machine-readable', "Packer's machine-readable rows on stdout")
    .action(async (template: string, opts, cmd: Command) => {
      const { validateCommand } = await import('./commands/validate.js');
      process.exitCode = await validateCommand(template, { ...opts, debug: globalDebug(cmd) });
    });

  templateFlags(program.command('inspect').description('show variables, sources, builds, provisioners and post-processors in run order'))
    .argument('<template>', 'a .pkr.hcl/.pkr.json/.json file or a directory')
    .option('--machine-readable', "Packer's machine-readable rows on stdout")
    .action(async (template: string, opts, cmd: Command) => {
      const { inspectCommand } = await import('./commands/inspect.js');
      process.exitCode = await inspectCommand(template, { ...opts, debug: globalDebug(cmd) });
    });

  templateFlags(program.command('build').description('build the images a template describes'))
    .argument('<template>', 'a .pkr.hcl/.pkr.json/.json file or a directory')
    .option('--force', 'replace an existing gallery image version')
    .addOption(new Option('--on-error <mode>', 'when a build fails: cleanup (run the error-cleanup-provisioner, then clean up), abort (keep everything for inspection), run-cleanup-provisioner (run it, then abort), ask (ask what to do; needs a terminal)').choices(['cleanup', 'abort', 'ask', 'run-cleanup-provisioner']).default('cleanup'))
    .option('--parallel-builds <n>', 'how many builds run at once; 0: all (default)', parseCount)
    .option('--color [bool]', 'colours in the terminal view (-color=false: none)', parseBool, true)
    .option('--timestamp-ui', 'a time on every output line, also on a terminal')
    .option('--machine-readable', "Packer's machine-readable rows (timestamp,target,type,data...) on stdout")
    .option('--json', 'one JSON event per line')
    .option('--log-file <file>', 'write a debug log to this file (or set AZCHROOT_LOG=1)')
    .option('--emulator [state-dir]', 'build against the local Azure emulator; --emulator=DIR picks its state directory (default /var/lib/azchroot/emulator)')
    .option('--state-dir <dir>', 'where the build journal and lock live', '/var/lib/azchroot')
    // `build -debug` is Packer's step-by-step mode; main() gives it this name (-debug elsewhere is --trace).
    .addOption(new Option('--step-by-step', 'pause before each step').hideHelp())
    .addHelpText('after', "\n-debug (after build): Packer's step-by-step mode, pausing before each step until Enter is pressed\n(one build at a time; needs a terminal). Debug output and stack traces: --trace or AZCHROOT_DEBUG=1.")
    .action(async (template: string, opts, cmd: Command) => {
      const { buildCommand } = await import('./commands/build.js');
      process.exitCode = await buildCommand(template, { ...opts, debug: globalDebug(cmd) });
    });

  templateFlags(program.command('console').description("evaluate expressions with a template's variables and locals, one per line (from a terminal or stdin), as packer console does"))
    .argument('[template]', 'a .pkr.hcl/.pkr.json/.json file or a directory')
    .action(async (template: string | undefined, opts, cmd: Command) => {
      const { consoleCommand } = await import('./commands/console.js');
      process.exitCode = await consoleCommand(template, { ...opts, debug: globalDebug(cmd) });
    });

  program.command('cleanup')
    .description('remove what an interrupted or killed build left behind (mounts, loop devices, disks, snapshots)')
    .option('--build-id <id>', 'only this build')
    .option('--all', 'every build in the journal')
    .option('--emulator [state-dir]', 'the resources live in the local emulator (--emulator=DIR)')
    .option('--state-dir <dir>', 'where the build journal lives', '/var/lib/azchroot')
    .action(async (opts, cmd: Command) => {
      const { cleanupCommand } = await import('./commands/cleanup.js');
      process.exitCode = await cleanupCommand({ ...opts, debug: globalDebug(cmd) });
    });

  program.command('boot-test')
    .description('boot a disk image file, or an emulator disk, snapshot, image or gallery version, under QEMU (nothing is written to it); exit 0 when it boots')
    .argument('<file-or-resource-id>', 'raw or fixed-VHD disk image, or a resource id with --emulator')
    .option('--emulator [state-dir]', 'the resource lives in the local emulator (--emulator=DIR)')
    .option('--timeout <duration>', 'how long the boot may take (Go duration)', '5m')
    .option('--expect <regex>', 'what the serial console must print (default: systemd reaching multi-user.target or a login prompt)')
    .addOption(new Option('--firmware <firmware>', 'default: from the Hyper-V generation (V1 bios, V2 uefi); bios for files').choices(['bios', 'uefi']))
    .addOption(new Option('--accel <accel>', 'auto: KVM when a probe boot works, else TCG').choices(['auto', 'kvm', 'tcg']).default('auto'))
    .option('--memory <MiB>', 'memory of the test VM', '1024')
    .option('--log <file>', 'console log (default <name>.boot.log in the working directory)')
    .action(async (subject: string, opts) => {
      const { bootTestCommand } = await import('./commands/boot-test.js');
      process.exitCode = await bootTestCommand(subject, opts);
    });

  const emulator = program.command('emulator').description('the local Azure emulator (ARM compute, IMDS, sign-in) for builds without Azure');
  emulator.command('serve')
    .description('serve the emulator until SIGINT/SIGTERM; writes <state>/endpoints.json when ready')
    .requiredOption('--state <dir>', 'state directory')
    .option('--arm-listen <host:port>', 'ARM/sign-in HTTPS address (default 127.0.0.1:0)')
    .option('--imds-listen <host:port>', 'IMDS HTTP address (default 127.0.0.1:0)')
    .option('--devroot <dir>', 'where disk/azure/scsi1/lun<N> links are made (default <state>/dev)')
    .addOption(new Option('--latency <profile>', 'latency profile').choices(['instant', 'azure']).default('instant'))
    .option('--latency-scale <factor>', 'multiply every latency', Number)
    .option('--faults <file>', 'fault rules (JSON array)')
    .option('--location <name>', 'the VM location')
    .option('--zone <zone>', 'the VM availability zone')
    .addOption(new Option('--azure-mode <mode>', 'polite: always the same legal answer; real: a seeded choice among the answers Azure gives (env AZCHROOT_EMULATOR_AZURE_MODE)').choices(['polite', 'real']))
    .option('--seed <n>', 'seed of the real mode\'s choices (env AZCHROOT_EMULATOR_SEED; default 1)', Number)
    .option('--link-delay <ms>', 'device links appear this long after an attach, as udev makes them (default 0)', Number)
    .action(async (opts) => {
      const { serveCommand } = await import('./commands/emulator-serve.js');
      await serveCommand(opts);
    });
  emulator.command('add-image')
    .description('register a platform image publisher:offer:sku:version from a raw or fixed-VHD file')
    .requiredOption('--urn <publisher:offer:sku:version>', 'the image URN')
    .requiredOption('--state <dir>', 'state directory')
    .addOption(new Option('--hyperv-generation <gen>', 'Hyper-V generation').choices(['V1', 'V2']).default('V1'))
    .argument('<file>', 'raw disk image or fixed VHD')
    .action(async (file: string, opts) => {
      const { addImageCommand } = await import('./commands/emulator-files.js');
      process.stdout.write(await addImageCommand({ state: opts.state, urn: opts.urn, file, hyperVGeneration: opts.hypervGeneration }));
    });
  emulator.command('export')
    .description('write a disk, snapshot, image or gallery version to a file')
    .requiredOption('--state <dir>', 'state directory')
    .addOption(new Option('--format <format>', 'output format').choices(['raw', 'vhd']).default('raw'))
    .option('--force', 'replace the output file when it exists')
    .argument('<resource-id>', 'ARM resource id')
    .argument('<file>', 'output file')
    .action(async (resourceId: string, file: string, opts) => {
      const { exportCommand } = await import('./commands/emulator-files.js');
      process.stdout.write(await exportCommand({ state: opts.state, resourceId, file, format: opts.format, force: Boolean(opts.force) }));
    });

  program.command('version').description('print the version')
    .option('--machine-readable', "Packer's machine-readable rows on stdout")
    .action(async (opts: { machineReadable?: boolean }) => {
      if (!opts.machineReadable) {
        process.stdout.write(`azchroot ${VERSION}\n`);
        return;
      }
      const { machineRow } = await import('../report/machine-readable.js');
      const now = new Date();
      const rows = [['version', VERSION], ['version-prelease', ''], ['version-commit', ''], ['ui', 'say', `azchroot v${VERSION}`]];
      process.stdout.write(rows.map(([type, ...data]) => `${machineRow(now, '', type!, data)}\n`).join(''));
    });
  program.version(VERSION, '-v, --version', 'print the version');
  return program;
}

/** --trace (or AZCHROOT_DEBUG=1), or the program-level --debug given before the command. */
function globalDebug(cmd: Command): boolean {
  const program = cmd.parent?.opts() ?? {};
  return Boolean(program.trace || program.debug) || process.env.AZCHROOT_DEBUG === '1';
}

/** Entry point used by bin/azchroot. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = createProgram(argv.slice(2));
  const command = normalizeArgv(argv.slice(2)).find((a) => !a.startsWith('-'));
  const args = stepByStepFlag(normalizeArgv(argv.slice(2)), command);
  // build's own -debug became --step-by-step above: a --debug left is the program's (stack traces).
  const debug = args.includes('--trace') || args.includes('--debug') || process.env.AZCHROOT_DEBUG === '1';
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with a CommanderError too; those are successes.
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
      process.exitCode = ok ? 0 : 2;
      return;
    }
    process.exitCode = renderError(error, { debug, write: (t) => process.stderr.write(t) });
  }
}

/** `text` with each `'--name` written `'-name` where the user typed `-name` (Packer's form). */
function asTyped(text: string, typed: readonly string[]): string {
  const single = new Set(typed.map((a) => /^-([a-z][a-z-]+)(=.*)?$/.exec(a)?.[1]).filter((n): n is string => n !== undefined));
  return text.replace(/'--([a-z][a-z-]+)/g, (all, name: string) => (single.has(name) ? `'-${name}` : all));
}

/** `build ... --debug` (Packer's -debug, after the command) becomes build's --step-by-step. */
function stepByStepFlag(args: string[], command: string | undefined): string[] {
  if (command !== 'build') return args;
  const at = args.indexOf('build');
  const end = args.indexOf('--');
  return args.map((a, i) => (a === '--debug' && i > at && (end < 0 || i < end) ? '--step-by-step' : a));
}

/** bin/azchroot: run, then exit at once. The HCL parser's WebAssembly runtime keeps timers that
 * would otherwise hold the process open for up to two seconds after the work is done. */
export async function run(argv: readonly string[]): Promise<never> {
  await main(argv);
  process.exit(process.exitCode ?? 0);
}
