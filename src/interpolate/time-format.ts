// Time formatting for the `isotime` (Go reference-time layouts) and `strftime` (C directives)
// template functions. Packer formats its start time in UTC, so zones are always UTC here.

const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, width: number, fill = '0'): string => String(n).padStart(width, fill);

function dayOfYear(t: Date): number {
  return Math.floor((Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()) - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

function hour12(t: Date): number {
  const h = t.getUTCHours() % 12;
  return h === 0 ? 12 : h;
}

// Go layout chunks, longest first where one is a prefix of another ("January" before "Jan").
const GO_CHUNKS: [string, (t: Date) => string][] = [
  ['January', (t) => LONG_MONTHS[t.getUTCMonth()]!],
  ['Jan', (t) => LONG_MONTHS[t.getUTCMonth()]!.slice(0, 3)],
  ['Monday', (t) => LONG_DAYS[t.getUTCDay()]!],
  ['Mon', (t) => LONG_DAYS[t.getUTCDay()]!.slice(0, 3)],
  ['MST', () => 'UTC'],
  ['2006', (t) => pad(t.getUTCFullYear(), 4)],
  ['-07:00:00', () => '+00:00:00'], ['-070000', () => '+000000'], ['-07:00', () => '+00:00'], ['-0700', () => '+0000'], ['-07', () => '+00'],
  ['Z07:00:00', () => 'Z'], ['Z070000', () => 'Z'], ['Z07:00', () => 'Z'], ['Z0700', () => 'Z'], ['Z07', () => 'Z'],
  ['002', (t) => pad(dayOfYear(t), 3)], ['__2', (t) => pad(dayOfYear(t), 3, ' ')],
  ['01', (t) => pad(t.getUTCMonth() + 1, 2)], ['02', (t) => pad(t.getUTCDate(), 2)], ['03', (t) => pad(hour12(t), 2)],
  ['04', (t) => pad(t.getUTCMinutes(), 2)], ['05', (t) => pad(t.getUTCSeconds(), 2)], ['06', (t) => pad(t.getUTCFullYear() % 100, 2)],
  ['_2', (t) => pad(t.getUTCDate(), 2, ' ')],
  ['15', (t) => pad(t.getUTCHours(), 2)],
  ['1', (t) => String(t.getUTCMonth() + 1)], ['2', (t) => String(t.getUTCDate())], ['3', (t) => String(hour12(t))],
  ['4', (t) => String(t.getUTCMinutes())], ['5', (t) => String(t.getUTCSeconds())],
  ['PM', (t) => (t.getUTCHours() >= 12 ? 'PM' : 'AM')], ['pm', (t) => (t.getUTCHours() >= 12 ? 'pm' : 'am')],
];

/** Formats `t` (UTC) with a Go reference-time layout such as `2006-01-02T15:04:05Z07:00`. */
export function formatGoLayout(t: Date, layout: string): string {
  let out = '';
  let i = 0;
  outer: while (i < layout.length) {
    // Fractional seconds: "." or "," followed by 0s (fixed width) or 9s (trailing zeros trimmed), not followed by a digit.
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac) {
      const digits = frac[1]!;
      const ms = pad(t.getUTCMilliseconds(), 3) + '000000';
      let value = ms.slice(0, Math.min(digits.length, 9));
      if (digits[0] === '9') value = value.replace(/0+$/, '');
      out += value ? frac[0][0] + value : '';
      i += frac[0].length;
      continue;
    }
    for (const [chunk, render] of GO_CHUNKS) {
      if (layout.startsWith(chunk, i)) {
        out += render(t);
        i += chunk.length;
        continue outer;
      }
    }
    out += layout[i];
    i++;
  }
  return out;
}

/** Formats `t` (UTC) with C strftime directives (%Y %m %d %H %M %S %a %A %b %B %j %p %y %Z %z %c %x %X %f %L %%); unknown ones stay as written. */
export function formatStrftime(t: Date, format: string): string {
  return format.replace(/%(.)/gs, (whole, d: string) => {
    switch (d) {
      case 'Y': return pad(t.getUTCFullYear(), 4);
      case 'y': return pad(t.getUTCFullYear() % 100, 2);
      case 'C': return pad(Math.floor(t.getUTCFullYear() / 100), 2);
      case 'm': return pad(t.getUTCMonth() + 1, 2);
      case 'd': return pad(t.getUTCDate(), 2);
      case 'e': return pad(t.getUTCDate(), 2, ' ');
      case 'H': return pad(t.getUTCHours(), 2);
      case 'I': return pad(hour12(t), 2);
      case 'M': return pad(t.getUTCMinutes(), 2);
      case 'S': return pad(t.getUTCSeconds(), 2);
      case 'L': return pad(t.getUTCMilliseconds(), 3);
      case 'f': return pad(t.getUTCMilliseconds() * 1000, 6);
      case 'j': return pad(dayOfYear(t), 3);
      case 'a': return LONG_DAYS[t.getUTCDay()]!.slice(0, 3);
      case 'A': return LONG_DAYS[t.getUTCDay()]!;
      case 'b': case 'h': return LONG_MONTHS[t.getUTCMonth()]!.slice(0, 3);
      case 'B': return LONG_MONTHS[t.getUTCMonth()]!;
      case 'p': return t.getUTCHours() >= 12 ? 'PM' : 'AM';
      case 'Z': return 'UTC';
      case 'z': return '+0000';
      case 'w': return String(t.getUTCDay());
      case 's': return String(Math.floor(t.getTime() / 1000));
      case 'c': return formatGoLayout(t, 'Mon Jan _2 15:04:05 2006');
      case 'x': return formatGoLayout(t, '01/02/06');
      case 'X': return formatGoLayout(t, '15:04:05');
      case 'D': return formatGoLayout(t, '01/02/06');
      case 'F': return formatGoLayout(t, '2006-01-02');
      case 'T': return formatGoLayout(t, '15:04:05');
      case '%': return '%';
      default: return whole;
    }
  });
}
