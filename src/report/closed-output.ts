// A closed stdout or stderr (`azchroot build ... | head`, a terminal that went away) must never kill
// a build: the write error is absorbed, that stream is no longer written to, and the build goes on
// (or cleans up). The log file is written separately and still gets everything.

import { writeSync } from 'node:fs';

const closed = new Set<NodeJS.WriteStream>();

/** Absorbs write errors (EPIPE, EIO) on stdout and stderr from now on; idempotent. */
export function surviveClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listeners('error').includes(markClosed)) continue;
    stream.on('error', markClosed);
  }
}

function markClosed(this: NodeJS.WriteStream): void {
  closed.add(this);
}

/** Writes `text` to `stream` unless it was closed. */
export function writeTo(stream: NodeJS.WriteStream, text: string): void {
  if (closed.has(stream) || stream.destroyed || !stream.writable) return;
  try {
    stream.write(text);
  } catch {
    closed.add(stream);
  }
}

/** True once `stream` failed a write. */
export function isClosed(stream: NodeJS.WriteStream): boolean {
  return closed.has(stream) || stream.destroyed;
}

/**
 * Writes `text` straight to file descriptor `fd` (2: stderr), past any stream wrapper: the terminal
 * view buffers process.stdout/stderr while it renders, and a process about to exit cannot wait.
 */
export function writeNow(fd: 1 | 2, text: string): void {
  try {
    writeSync(fd, text);
  } catch {
    // closed: nothing to tell
  }
}
