import { spawn } from 'node:child_process';
import fs from 'node:fs';

/**
 * Runs a command to completion and collects its output. A command that outlives `timeoutMs` is
 * killed (with its process group) and reported with code 124, as timeout(1) does.
 * With `logFile`, output goes to that file instead of memory (long installs).
 */
export function run(cmd, args, { cwd, env, timeoutMs = 60_000, logFile } = {}) {
  return new Promise((resolve, reject) => {
    const log = logFile ? fs.openSync(logFile, 'w') : undefined;
    const child = spawn(cmd, args, {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', log ?? 'pipe', log ?? 'pipe'],
    });
    if (log !== undefined) fs.closeSync(log);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => { stdout += d; });
    child.stderr?.on('data', (d) => { stderr += d; });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? 124 : code ?? 1, stdout, stderr });
    });
  });
}
