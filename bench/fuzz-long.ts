/**
 * The long fuzz run (not in `npm test`): the fuzz suite's hostile inputs (test/fuzz/hostile.ts),
 * each batch scanned by the built CLI in its own process, as CI runs it, so that a hang (a scan
 * over the time limit) and peak memory (GNU time's maximum resident set size) are measured too.
 *
 *   npm run build && npx tsx bench/fuzz-long.ts [minutes=20] [seed]
 *
 * Prints one JSON line per finding-losing, crashing or hanging batch, and a summary at the end.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkScan, copyBase, findingKey, hostileGitignore, hostileNewFile, hostileProjectFile, writeFiles, type HostileFile, type JsonReport } from '../test/fuzz/hostile';

const MINUTES = Number(process.argv[2] ?? 20);
const SEED = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const HANG_MS = 120_000;
const CLI = path.join(__dirname, '..', 'dist', 'cli.js');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  peakKb: number;
  timedOut: boolean;
}

function scanWithCli(root: string): Outcome {
  const started = Date.now();
  const res = spawnSync('/usr/bin/time', ['-f', 'PEAK_KB=%M', process.execPath, CLI, 'scan', root, '--format', 'json'], { encoding: 'utf8', timeout: HANG_MS, maxBuffer: 256 * 1024 * 1024 });
  const peak = /PEAK_KB=(\d+)/.exec(res.stderr ?? '');
  return {
    code: res.status,
    stdout: res.stdout ?? '',
    // GNU time's own lines are not the CLI's.
    stderr: (res.stderr ?? '').replace(/^PEAK_KB=\d+\n?/m, '').replace(/^Command (exited with non-zero status \d+|terminated by signal \d+)\n?/m, ''),
    ms: Date.now() - started,
    peakKb: peak ? Number(peak[1]) : 0,
    timedOut: res.error !== undefined && (res.error as NodeJS.ErrnoException).code === 'ETIMEDOUT',
  };
}

const batch = fc.oneof(
  fc.tuple(fc.array(hostileNewFile, { minLength: 1, maxLength: 12 }), fc.option(hostileGitignore, { nil: undefined })).map(([files, gi]) => ({ kind: 'new' as const, files: gi ? [...files, gi] : files })),
  fc.array(hostileProjectFile, { minLength: 1, maxLength: 3 }).map((files) => ({ kind: 'edit' as const, files })),
);

const deadline = Date.now() + MINUTES * 60_000;
const totals = { scans: 0, inputs: 0, newFileInputs: 0, crashes: 0, hangs: 0, lostFindings: 0, scansLosingFindings: 0, incompleteScans: 0, refusedConfigs: 0, peakRssMb: 0, slowestScanMs: 0 };
let baseline: string[] | undefined;
let baselineFiles = new Set<string>();
{
  const root = copyBase();
  const out = scanWithCli(root);
  const report = checkScan({ code: out.code ?? -1, stdout: out.stdout, stderr: out.stderr, ms: out.ms }, false)!;
  baseline = report.findings.map(findingKey).sort();
  baselineFiles = new Set(report.findings.map((f) => f.file));
  fs.rmSync(root, { recursive: true, force: true });
}
console.log(JSON.stringify({ seed: SEED, minutes: MINUTES, baseline }));

let index = 0;
while (Date.now() < deadline) {
  const [{ kind, files }] = fc.sample(batch, { seed: SEED + index, numRuns: 1 });
  index++;
  const root = copyBase();
  writeFiles(root, files as HostileFile[]);
  const out = scanWithCli(root);
  totals.scans++;
  totals.inputs += files.length;
  if (kind === 'new') totals.newFileInputs += files.length;
  totals.peakRssMb = Math.max(totals.peakRssMb, Math.round(out.peakKb / 1024));
  totals.slowestScanMs = Math.max(totals.slowestScanMs, out.ms);
  const replay = { sampleSeed: SEED + index - 1, kind, files: files.map((f) => ({ rel: f.rel, bytes: Buffer.byteLength(f.content) })) };
  if (out.timedOut) {
    totals.hangs++;
    console.log(JSON.stringify({ hang: true, ms: out.ms, ...replay }));
  } else {
    try {
      const report: JsonReport | undefined = checkScan({ code: out.code ?? -1, stdout: out.stdout, stderr: out.stderr, ms: out.ms }, kind === 'edit' && files.some((f) => f.rel === 'shipshape.config.json'));
      if (!report) totals.refusedConfigs++;
      else {
        if (report.stats.errors > 0) totals.incompleteScans++;
        if (kind === 'new') {
          const kept = new Set(report.findings.filter((f) => baselineFiles.has(f.file)).map(findingKey));
          const lost = baseline!.filter((k) => !kept.has(k));
          if (lost.length > 0) {
            totals.lostFindings += lost.length;
            totals.scansLosingFindings++;
            console.log(JSON.stringify({ lost, ...replay }));
          }
        }
      }
    } catch (err) {
      totals.crashes++;
      console.log(JSON.stringify({ crash: (err as Error).message.split('\n').slice(0, 3).join(' | '), code: out.code, ...replay }));
    }
  }
  fs.rmSync(root, { recursive: true, force: true });
  if (totals.scans % 25 === 0) console.log(JSON.stringify({ progress: totals }));
}
console.log(JSON.stringify({ done: true, seed: SEED, ...totals }));
