/**
 * In-process measurements on the generated workspace, one mode per process (so that peak
 * memory is the mode's own). Bundled by bench/run.mjs with esbuild; prints one JSON line.
 *
 *   node bench/.work/harness.cjs scan <root> <rules: n-plus-one|all>
 *   node bench/.work/harness.cjs edit <root> <rules> <edits>
 *
 * With SHIPSHAPE_BENCH_PROFILE=<file.cpuprofile>, `edit` writes a CPU profile of the edits alone
 * (after the warm scan): what one re-analysis costs, without the scan's parse and bind in the way.
 *
 * `edit` does what the language server does on a keystroke: a warm full scan first, then for
 * each edit `analyzer.host.setOverlay(file, text, version)` and `analyzer.analyze([file])`.
 */
import * as fs from 'node:fs';
import { Session } from 'node:inspector';
import * as path from 'node:path';
import { Analyzer } from '../src/core/analyze';
import { loadProject } from '../src/core/project/project';
import { allRules } from '../src/core/rules';
import { nPlusOne } from '../src/core/rules/n-plus-one';
import { loadSqlParser } from '../src/core/sql/parser';
import { useBaselineWasmCompiler } from '../src/core/sql/wasmCompiler';
import type { Rule } from '../src/core/rules/types';

const [mode, root, which, editsArg] = process.argv.slice(2);
const rules: Array<Rule<string, any>> = which === 'all' ? allRules() : [nPlusOne];

function stats(samples: number[]): { p50: number; p95: number; max: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { p50: round(at(0.5)), p95: round(at(0.95)), max: round(s[s.length - 1]), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

/** Starts the V8 profiler (in this thread, synchronously); the returned function writes the profile to `file`. */
function startProfile(file: string | undefined): (() => void) | undefined {
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  return () =>
    session.post('Profiler.stop', (err, result) => {
      if (!err) fs.writeFileSync(file, JSON.stringify(result.profile));
      session.disconnect();
    });
}

const round = (n: number) => Math.round(n * 10) / 10;
const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

// The PostgreSQL parser (WebAssembly) loads first, compiled as the CLI and the server compile it.
useBaselineWasmCompiler();
void loadSqlParser().then(() => {
if (mode === 'scan') {
  const t0 = performance.now();
  const project = loadProject(root);
  const result = new Analyzer(project, { rules }).analyze();
  const ms = performance.now() - t0;
  const byRule: Record<string, number> = {};
  for (const f of result.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  console.log(JSON.stringify({ mode, rules: rules.map((r) => r.meta.id), files: result.files, findings: byRule, errors: result.errors.length, scanMs: Math.round(ms), peakRssMb: rssMb() }));
} else if (mode === 'edit') {
  const edits = Number(editsArg ?? 40);
  const project = loadProject(root);
  const analyzer = new Analyzer(project, { rules });
  const t0 = performance.now();
  analyzer.analyze();
  const warmScanMs = performance.now() - t0;
  // An edit in a route module (nothing imports it), toggling an N+1 loop in a handler.
  const routeFile = path.join(root, 'src/routes/route0002.ts');
  const routeText = fs.readFileSync(routeFile, 'utf8');
  const withLoop = routeText.replace(
    "  res.json(rows);\n});",
    "  for (const order of rows) {\n    const c = await loadCustomer2(order.customer_id);\n    order.status = c ? 'paid' : order.status;\n  }\n  res.json(rows);\n});",
  );
  // An edit in a repository that 30 route modules and 2 services import.
  const repoFile = path.join(root, 'src/repositories/repo07.ts');
  const repoText = fs.readFileSync(repoFile, 'utf8');
  const repoEdited = repoText.replace("return c.tier === 'enterprise'", "return c.tier !== 'free'");
  const measure = (file: string, variants: [string, string], expectFindings?: [number, number]) => {
    const samples: number[] = [];
    let mismatches = 0;
    for (let k = 0; k < edits; k++) {
      const text = variants[(k + 1) % 2];
      const t = performance.now();
      analyzer.host.setOverlay(file, text, 1000 + k);
      const result = analyzer.analyze([file]);
      samples.push(performance.now() - t);
      const n1 = result.findings.filter((f) => f.ruleId === 'n-plus-one').length;
      if (expectFindings && n1 !== expectFindings[(k + 1) % 2]) mismatches++;
    }
    analyzer.host.setOverlay(file, variants[0], 5000);
    return { ...stats(samples), samples: samples.map(round), mismatches };
  };
  // route0002 has no N+1 of its own (its loop is batched); the edit adds one through a repository.
  const profile = startProfile(process.env.SHIPSHAPE_BENCH_PROFILE);
  const route = measure(routeFile, [routeText, withLoop], [0, 1]);
  const repo = measure(repoFile, [repoText, repoEdited]);
  profile?.();
  console.log(JSON.stringify({ mode, rules: rules.map((r) => r.meta.id), edits, warmScanMs: Math.round(warmScanMs), routeEdit: route, sharedRepositoryEdit: repo, peakRssMb: rssMb() }));
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
});
