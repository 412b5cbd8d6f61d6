import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadRunFacts } from '../facts';

/**
 * Load-test runs saved by `shipshape loadtest` and the editor under `.shipshape/runs/*.json`
 * (SPEC § Load tests). Read defensively: a run is evidence when it names its verdict.
 */
export function readLoadRuns(root: string, max = 50): { facts: LoadRunFacts; problems: Array<{ file: string; line: number; note: string }> } {
  const dir = path.join(root, '.shipshape', 'runs');
  const facts: LoadRunFacts = { runs: [] };
  const problems: Array<{ file: string; line: number; note: string }> = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort().slice(-max);
  } catch {
    return { facts, problems };
  }
  for (const name of names) {
    const file = path.join(dir, name);
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      problems.push({ file, line: 0, note: `${name} in .shipshape/runs is not valid JSON; it is ignored. Delete it or run the load test again.` });
      continue;
    }
    if (!raw || typeof raw !== 'object') continue;
    const summary = (raw.summary ?? (raw.result as Record<string, unknown> | undefined)?.summary) as Record<string, unknown> | undefined;
    const latency = summary?.latencyMs as Record<string, unknown> | undefined;
    const when = [raw.finishedAt, raw.startedAt, raw.date, raw.time].find((v) => typeof v === 'string') as string | undefined;
    facts.runs.push({
      file,
      line: 0,
      passed: typeof raw.passed === 'boolean' ? raw.passed : undefined,
      when: when ?? fileTime(file),
      target: typeof raw.target === 'string' ? raw.target : undefined,
      p95: typeof latency?.p95 === 'number' ? latency.p95 : undefined,
    });
  }
  return { facts, problems };
}

function fileTime(file: string): string | undefined {
  try {
    return fs.statSync(file).mtime.toISOString();
  } catch {
    return undefined;
  }
}
