/**
 * What a migration edit costs in the language server (issue 10: "editing a migration re-derives
 * the schema and re-checks the queries that touch the changed tables only"). Not a timed test:
 *   node esbuild.mjs && npx tsx bench/migration-edit.ts [files=1500] [edits=6]
 * The generated Express + pg API of bench/server-latency.ts (one table and one migration per
 * module), plus one query in module 0 filtering a column no index serves. The migration of that
 * table is opened and an index on the column added and removed in turn (didChange, unsaved):
 * measured from the change notification to the diagnostics of the query's file, and to the end
 * of the follow-up pass; the files that pass re-analysed are read from the server's log.
 * Results go to bench/RESULTS.md between `<!-- migration-edit:start/end -->` (bench/run.mjs keeps them).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWorkspace, removeWorkspace } from '../test/helpers/workspace';
import { LspTestClient, ensureServerBuilt, uriOf } from '../test/server/lspClient';
import { generateApi } from './server-latency';

const SEARCH = `import { pool } from '../../db';\n\nexport async function byName0(name: string) {\n  const { rows } = await pool.query('SELECT * FROM t0 WHERE name = $1', [name]);\n  return rows;\n}\n`;

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 1500);
  const edits = Number(process.argv[3] ?? 6);
  ensureServerBuilt();
  const files = { ...generateApi(total), 'src/modules/m0/search.ts': SEARCH };
  const root = createWorkspace({ files, withTypes: true, dependencies: { express: '^5.0.0', pg: '^8.0.0' } });
  const tsCount = Object.keys(files).filter((f) => f.endsWith('.ts')).length;
  const sqlCount = Object.keys(files).length - tsCount;
  console.log(`workspace: ${root} (${tsCount} TypeScript files, ${sqlCount} SQL files)`);
  const client = await LspTestClient.start(root);
  try {
    const t0 = performance.now();
    await client.waitFor('the first full pass', () => client.statuses.find((s) => s.state === 'idle'), 900_000);
    const startupMs = performance.now() - t0;
    const fullPass = client.logs.find((l) => /: analysed \d+ files in /.test(l)) ?? '';
    console.log(`startup to first idle: ${Math.round(startupMs)} ms (${fullPass.replace(/^[^:]*: /, '')})`);
    const searchUri = uriOf(client.file('src/modules/m0/search.ts'));
    const unindexed = () => (client.diagnostics.get(searchUri) ?? []).filter((d) => d.code === 'unindexed-filter').length;
    if (unindexed() !== 1) throw new Error(`expected one unindexed-filter in search.ts, got ${unindexed()}`);
    const migration = 'migrations/0001_t0.sql';
    const base = fs.readFileSync(client.file(migration), 'utf8');
    await client.open(migration);
    const toDiagnostics: number[] = [];
    const toPassEnd: number[] = [];
    const rechecked: string[] = [];
    for (let k = 0; k < edits; k++) {
      const addIndex = k % 2 === 0;
      const mark = client.logs.length;
      const t = performance.now();
      await client.change(migration, addIndex ? `${base}CREATE INDEX t0_name_idx ON t0 (name);\n` : base);
      await client.waitFor(`diagnostics after edit ${k}`, () => unindexed() === (addIndex ? 0 : 1), 120_000);
      toDiagnostics.push(performance.now() - t);
      const done = await client.waitFor(`the follow-up pass after edit ${k}`, () => client.logs.slice(mark).find((l) => /re-analysed, after edits to migrations/.test(l)), 300_000);
      toPassEnd.push(performance.now() - t);
      const line = client.logs.slice(mark).find((l) => /schema changed: re-checking/.test(l));
      console.log(`edit ${k}: diagnostics ${Math.round(toDiagnostics[k])} ms, pass done ${Math.round(toPassEnd[k])} ms\n  ${client.logs.slice(mark).filter((l) => /analysis run|schema changed|re-analysed|checklist/.test(l)).join('\n  ')}`);
      rechecked.push(`${line?.replace(/^[^:]*: schema changed: /, '') ?? '?'}; ${done.replace(/^.*?, (\d+ files in [\d.]+ m?s).*$/, '$1')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const stats = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return { p50: Math.round(s[Math.floor(s.length / 2)]), max: Math.round(s[s.length - 1]) };
    };
    const d = stats(toDiagnostics);
    const p = stats(toPassEnd);
    const section = [
      '<!-- migration-edit:start -->',
      '## Migration edit → diagnostics over LSP (bench/migration-edit.ts)',
      '',
      `Run ${new Date().toISOString().slice(0, 16)} UTC: ${tsCount} TypeScript files, ${sqlCount} migrations (one table each); first full pass ${Math.round(startupMs)} ms. ` +
        `${edits} unsaved edits of \`${migration}\` adding/removing an index that serves a query in \`src/modules/m0/search.ts\`.`,
      '',
      '| measure | p50 | max |',
      '|---|---|---|',
      `| edit → the query file's diagnostics (150 ms debounce, run on the migration with the schema rebuild, 400 ms related delay, run on the affected files) | ${d.p50} ms | ${d.max} ms |`,
      `| edit → follow-up pass done (files whose queries read t0, and the schema files) | ${p.p50} ms | ${p.max} ms |`,
      '',
      `Load average during the run: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} (2 cores). Re-checked per edit: ${rechecked[0]}. Before (full pass per migration save): ${fullPass.replace(/^.*?: analysed /, '').replace(/ \(.*$/, '')}.`,
      '<!-- migration-edit:end -->',
    ].join('\n');
    console.log(section);
    if (!process.argv.includes('--no-write')) {
      const file = path.join(__dirname, 'RESULTS.md');
      const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      const replaced = /<!-- migration-edit:start -->[\s\S]*?<!-- migration-edit:end -->/.test(previous)
        ? previous.replace(/<!-- migration-edit:start -->[\s\S]*?<!-- migration-edit:end -->/, section)
        : `${previous.trimEnd()}\n\n${section}\n`;
      fs.writeFileSync(file, replaced);
    }
  } finally {
    await client.stop();
    removeWorkspace(root);
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
