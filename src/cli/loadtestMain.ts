// The lean entry of `shipshape loadtest` (bundled as dist/cli-loadtest.js; bin.ts picks it): the
// same command as in the full CLI, without the analysis (TypeScript, the rules, the PostgreSQL
// parser), which a load test never uses and which took ~1.5 s of CPU to load before any request.
import { addLoadTestCommand } from './loadtestCommand';
import { newProgram, runProgram, type CliIo } from './program';

export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  const program = newProgram(io);
  let exitCode = 0;
  addLoadTestCommand(program, io, (code) => (exitCode = code));
  return runProgram(program, argv, io, () => exitCode);
}
