import * as fs from 'node:fs';

/** Limits for the small files that describe a project (configs, manifests, ignore files, migrations). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** `problem` is a predicate about the file, for the caller to put after its name: "is over the 1 MB limit; …". */
export type BoundedRead = { text: string; problem?: undefined } | { text?: undefined; problem: string; missing?: boolean };

/**
 * Reads a text file that Shipshape needs to understand the project, refusing what would hang
 * or exhaust memory: a symlink to /dev/zero, a FIFO, a device, a file over `maxBytes`. The size
 * is checked on the open descriptor and the read never takes more than `maxBytes + 1` bytes, so
 * a file that grows after the check cannot get past it. A UTF-8 byte order mark is dropped
 * (editors on Windows write one; JSON parsers then report "invalid symbol at 1:1").
 */
export function readBoundedText(file: string, maxBytes = MAX_CONFIG_BYTES): BoundedRead {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer would otherwise block here forever.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: `does not exist`, missing: true };
    return { problem: `cannot be read (${code ?? (err as Error).message}); check its permissions` };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { problem: `is not a regular file (${kindOf(stat)}); replace it with a plain file` };
    if (stat.size > maxBytes) return { problem: `is ${formatBytes(stat.size)}, over the ${formatBytes(maxBytes)} limit; Shipshape does not read it` };
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) return { problem: `is over the ${formatBytes(maxBytes)} limit; Shipshape does not read it` };
      if (length === buffer.length) break;
    }
    const text = buffer.toString('utf8', 0, length);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (err) {
    return { problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  } finally {
    fs.closeSync(fd);
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a plain file';
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
