// Reading a boot's serial console as it arrives: escape sequences stripped, then the success regex
// and the signs of a boot that will never succeed (an emergency shell, a GRUB prompt, a panic),
// which end the test at once instead of at the timeout.

/** A console line pattern that means the boot has failed, with what to tell the user. */
interface FailureSign {
  pattern: RegExp;
  reason: string;
}

const FAILURE_SIGNS: FailureSign[] = [
  { pattern: /You are in emergency mode|Entering emergency mode|Give root password for maintenance/, reason: 'the boot reached systemd\'s emergency shell' },
  { pattern: /You are in rescue mode/, reason: 'the boot reached systemd\'s rescue shell' },
  { pattern: /Dropping to a shell!|^\(initramfs\) ?$/m, reason: 'the boot stopped in the initramfs shell (root file system not found?)' },
  { pattern: /grub rescue> ?$/m, reason: 'the boot stopped at the GRUB rescue prompt' },
  // GRUB's command line: its banner, or the prompt (SeaBIOS's screen mirror may put it after other text).
  { pattern: /Minimal BASH-like line editing is supported|grub> ?$/m, reason: 'the boot stopped at a GRUB prompt (GRUB found no configuration or no kernel: was update-grub run, is a kernel installed?)' },
  { pattern: /Kernel panic - not syncing/, reason: 'the kernel panicked' },
  { pattern: /No bootable (option or )?device/, reason: 'the firmware found no bootable device' },
  { pattern: /^Shell> ?$/m, reason: 'the UEFI firmware found no boot loader and stopped in its shell' },
  { pattern: /BdsDxe: starting Boot[0-9A-F]+ "EFI Internal Shell"/, reason: 'the UEFI firmware found no boot loader and started its shell' },
];

// CSI and OSC sequences, and the lone ESC pairs of charset selection (systemd colours, GRUB's menu).
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78cDEHM]/g;

/** Console text with escape sequences removed and CR LF / lone CR turned into LF. */
export function plainConsole(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(ESCAPES, '').replace(/\r+\n/g, '\n').replace(/\r/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

export type Verdict = { done: false } | { done: true; ok: true; matched: string } | { done: true; ok: false; reason: string };

/** Accumulates console output and tells whether the boot has succeeded or failed for good. */
export class ConsoleWatch {
  private raw = '';
  private text = '';

  constructor(private readonly expect: RegExp) {}

  /** Adds a chunk of console output; returns the verdict so far. */
  push(chunk: string): Verdict {
    this.raw += chunk;
    this.text = plainConsole(this.raw);
    return this.verdict();
  }

  /** The verdict on what was printed so far. */
  verdict(): Verdict {
    const m = this.expect.exec(this.text);
    if (m) return { done: true, ok: true, matched: m[0] };
    for (const sign of FAILURE_SIGNS) if (sign.pattern.test(this.text)) return { done: true, ok: false, reason: sign.reason };
    return { done: false };
  }

  /** The plain console text. */
  plain(): string {
    return this.text;
  }

  /** The last `n` non-empty lines of the plain console. */
  lastLines(n: number): string[] {
    return this.text.split('\n').filter((l) => l.trim() !== '').slice(-n);
  }
}
