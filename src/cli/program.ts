import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { TOOL } from '../core/report/common';
import { UsageError } from './errors';

/** Where a CLI run reads and writes. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  cwd: string;
}

/** The `shipshape` program before its commands are added. */
export function newProgram(io: CliIo): Command {
  return new Command()
    .name('shipshape')
    .description('Production-readiness checks for TypeScript HTTP APIs on PostgreSQL.')
    .version(TOOL.version, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showSuggestionAfterError(true);
}

/** Parses and runs; turns errors into exit codes (2 usage or internal error, with one line on stderr). */
export async function runProgram(program: Command, argv: string[], io: CliIo, exitCode: () => number): Promise<number> {
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode();
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0; commander already printed its message.
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof UsageError || err instanceof InvalidArgumentError) {
      io.stderr.write(`shipshape: ${err.message}\n`);
      return 2;
    }
    io.stderr.write(`shipshape: internal error: ${(err as Error).message}. Please report this with the command you ran.\n`);
    if (process.env.SHIPSHAPE_DEBUG) io.stderr.write(`${(err as Error).stack}\n`);
    return 2;
  }
}

export function writeOutput(text: string, file: string | undefined, io: { stdout: NodeJS.WritableStream; cwd: string }): void {
  if (!file) {
    io.stdout.write(text);
    return;
  }
  const abs = path.resolve(io.cwd, file);
  try {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Choose a writable --output path.`);
  }
}
