import assert from 'node:assert/strict';
import { appendScenario, offsetOfKey, readConfigScenarios, uniqueScenarioName } from '../../../src/extension/loadtest/configScenarios';
import { routesInFolder, scenarioRequestsFrom } from '../../../src/extension/loadtest/routeModel';
import { isLoopbackHost } from '../../../src/extension/loadtest/target';
import { lastResultText, loadTestTree } from '../../../src/extension/loadtest/treeModel';
import { concretePath, QUICK_TEST_NAME, routeScenarioName } from '../../../src/extension/loadtest/routePath';
import { resolveScenario, scenarioFromUrl } from '../../../src/core/loadtest/scenario';
import type { RunSummary } from '../../../src/core/loadtest/types';

const NOW = new Date('2026-12-01T03:00:00.000Z');

function run(id: string, scenario: string, startedAt: string, passed: boolean, p95Ms: number, perSecond: number, baseline = false, ended: RunSummary['ended'] = 'completed'): RunSummary {
  return { id, scenario, startedAt, target: 'http://127.0.0.1:3000', passed, ended, requests: perSecond * 10, perSecond, p95Ms, baseline, gitCommit: 'abcdef0123456789' };
}

describe('Load Tests view model (what the tree shows)', () => {
  const runs = [
    run('r1', 'smoke', '2026-12-01T02:00:00.000Z', true, 12.34, 1500, true),
    run('r2', 'smoke', '2026-12-01T02:55:00.000Z', false, 250, 900.4),
    run('r3', 'quick test', '2026-11-29T03:00:00.000Z', true, 3, 20000),
  ];

  it('a run stopped before its end reads as stopped, never passed (even with its thresholds met)', () => {
    const stopped = run('r4', 'smoke', '2026-12-01T02:58:00.000Z', true, 8, 1200, false, 'cancelled');
    const tree = loadTestTree(['smoke'], [...runs, stopped], NOW);
    assert.deepEqual([tree[0].status, tree[0].description], ['stopped', 'stopped · p95 8 ms · 2 min ago']);
    assert.deepEqual([tree[0].runs[0].status, tree[0].runs[0].tooltip.split('\n')[0]], ['stopped', 'smoke — stopped before its end']);
    assert.equal(lastResultText([...runs, stopped], 'smoke', NOW), '$(debug-stop) stopped · p95 8 ms · 1,200 req/s · 2 min ago');
    const aborted = run('r5', 'smoke', '2026-12-01T02:59:00.000Z', true, 8, 1200, false, 'aborted');
    assert.equal(loadTestTree(['smoke'], [aborted], NOW)[0].status, 'failed');
  });

  it('scenarios in config order with their last result, then scenarios that only have runs', () => {
    const tree = loadTestTree(['smoke', 'load'], runs, NOW);
    assert.deepEqual(tree.map((n) => [n.name, n.inConfig, n.status, n.description]), [
      ['smoke', true, 'failed', 'failed · p95 250 ms · 5 min ago'],
      ['load', true, 'none', 'not run yet'],
      ['quick test', false, 'passed', 'passed · p95 3 ms · 2 days ago'],
    ]);
  });

  it('runs newest first, with status, p95, req/s, when, and the baseline starred', () => {
    const [smoke] = loadTestTree(['smoke'], runs, NOW);
    assert.deepEqual(smoke.runs.map((r) => [r.id, r.label, r.description, r.status, r.contextValue]), [
      ['r2', '5 min ago', 'p95 250 ms · 900 req/s', 'failed', 'run'],
      ['r1', '★ 1 h ago', 'p95 12.3 ms · 1,500 req/s', 'passed', 'run.baseline'],
    ]);
    assert.equal(smoke.runs[1].tooltip, 'smoke — passed (baseline)\n2026-12-01 02:00:00 UTC against http://127.0.0.1:3000\n15,000 requests, 1,500 req/s, p95 12.3 ms\ncommit abcdef0123');
  });

  it('the quick pick line says the last result or that the scenario never ran', () => {
    assert.equal(lastResultText(runs, 'smoke', NOW), '$(error) failed · p95 250 ms · 900 req/s · 5 min ago');
    assert.equal(lastResultText(runs, 'load', NOW), 'not run yet');
  });
});

describe('scenarios in shipshape.config.json', () => {
  const text = `{
  // the team's scenarios
  "rules": { "n-plus-one": "error" },
  "loadtest": {
    "baseUrl": "http://127.0.0.1:3000",
    "scenarios": [
      { "name": "smoke", "preset": "smoke", "requests": [{ "path": "/orders" }] },
      { "preset": "load", "rate": "fast" },
    ]
  }
}`;

  it('reads each scenario with its position (for CodeLens) and raw value', () => {
    const { entries, loadtest } = readConfigScenarios(text);
    assert.equal(loadtest?.baseUrl, 'http://127.0.0.1:3000');
    assert.deepEqual(entries.map((e) => [e.index, e.name, text.slice(e.offset, e.offset + 10)]), [
      [0, 'smoke', '{ "name": '],
      [1, 'scenario 2', '{ "preset"'],
    ]);
    assert.deepEqual(entries[1].raw, { preset: 'load', rate: 'fast' });
  });

  it('finds the key a problem names, or the closest enclosing one', () => {
    assert.equal(text.slice(offsetOfKey(text, 'loadtest.scenarios[1].rate')!).split('\n')[0], '"rate": "fast" },');
    assert.equal(text.slice(offsetOfKey(text, 'loadtest.scenarios[1].duration')!, offsetOfKey(text, 'loadtest.scenarios[1].duration')! + 10), '{ "preset"');
  });

  it('a file that does not parse says where', () => {
    const r = readConfigScenarios('{ "loadtest": { "scenarios": [ } }');
    assert.equal(r.entries.length, 0);
    assert.equal(r.syntaxError?.message, 'ValueExpected');
  });

  it('appends a scenario keeping comments, and points at its name', () => {
    const out = appendScenario(text, { name: 'load-2', preset: 'load', requests: [{ name: 'orders', method: 'GET', path: '/orders', weight: 3 }] });
    assert.ok(out.text.includes('// the team\'s scenarios'));
    const { entries } = readConfigScenarios(out.text);
    assert.deepEqual(entries.map((e) => e.name), ['smoke', 'scenario 2', 'load-2']);
    assert.equal(out.text.slice(out.nameOffset, out.nameOffset + 8), '"load-2"');
  });

  it('creates the loadtest section, or the whole file', () => {
    const fromEmpty = appendScenario('', { name: 'smoke', preset: 'smoke' });
    assert.deepEqual(JSON.parse(fromEmpty.text), { loadtest: { scenarios: [{ name: 'smoke', preset: 'smoke' }] } });
    const noSection = appendScenario('{ "rules": {} }', { name: 'smoke' });
    assert.deepEqual(JSON.parse(noSection.text), { rules: {}, loadtest: { scenarios: [{ name: 'smoke' }] } });
    assert.throws(() => appendScenario('{ "rules": ', { name: 'x' }), /does not parse/);
  });

  it('new names do not clash', () => {
    assert.equal(uniqueScenarioName(['smoke', 'smoke-2'], 'smoke'), 'smoke-3');
    assert.equal(uniqueScenarioName(['load'], 'smoke'), 'smoke');
  });
});

describe('routes from the language server (CodeLens and new scenarios)', () => {
  const route = (method: string, path: string, file: string, health = false) => ({ method, path, uri: `file:///ws/api/${file}`, line: 3, endLine: 7, health });
  const fileOf = (uri: string) => uri.replace(/^file:\/\//, '');

  it('keeps the routes of this folder, relative to it, with methods the engine sends', () => {
    const routes = routesInFolder(
      [route('GET', '/orders', 'src/orders.ts'), route('PROPFIND', '/dav', 'src/dav.ts'), { ...route('GET', '/other', 'x.ts'), uri: 'file:///ws/other/x.ts' }, { ...route('GET', '/virtual', 'y.ts'), uri: 'untitled:Untitled-1' }],
      '/ws/api',
      (uri) => (uri.startsWith('file://') ? fileOf(uri) : undefined),
    );
    assert.deepEqual(routes, [{ method: 'GET', path: '/orders', file: 'src/orders.ts', line: 3, endLine: 7, health: false }]);
  });

  it('a new scenario takes the health endpoint and the list endpoints', () => {
    const routes = routesInFolder(
      [route('GET', '/orders/:id', 'app.ts'), route('GET', '/orders', 'app.ts'), route('POST', '/orders', 'app.ts'), route('GET', '/healthz', 'app.ts', true), route('GET', '/livez', 'app.ts', true), route('GET', '/customers', 'app.ts'), route('ALL', '/', 'app.ts')],
      '/ws/api',
      fileOf,
    );
    assert.deepEqual(scenarioRequestsFrom(routes), [
      { name: 'healthz', method: 'GET', path: '/healthz', weight: 1 },
      { name: 'orders', method: 'GET', path: '/orders', weight: 3 },
      { name: 'customers', method: 'GET', path: '/customers', weight: 3 },
    ]);
  });

  it('route parameters get a value to send', () => {
    assert.equal(concretePath('/orders/:id/items/:sku?'), '/orders/1/items/1');
    assert.equal(concretePath('/users/{id}'), '/users/1');
  });

  it('route runs and quick URL tests are saved under names the engine accepts', () => {
    assert.equal(routeScenarioName('GET', '/orders/:id'), 'GET-orders-id');
    assert.equal(routeScenarioName('GET', '/'), 'GET');
    assert.equal(routeScenarioName('POST', '/users/{id}/items*'), 'POST-users-id-items');
    for (const [method, route] of [['GET', '/orders/:id'], ['GET', '/'], ['DELETE', '/a b/é']] as const) {
      const { scenario, problems } = resolveScenario({ name: routeScenarioName(method, route), baseUrl: 'http://127.0.0.1:3000', requests: [{ method, path: concretePath(route) }] });
      assert.deepEqual(problems, [], `${method} ${route}`);
      assert.ok(scenario);
    }
    const quick = scenarioFromUrl('http://127.0.0.1:3000/orders/1', { name: QUICK_TEST_NAME, duration: '10s', connections: 10 });
    assert.deepEqual(quick.problems, []);
    assert.equal(quick.scenario?.name, 'quick-test');
  });
});

describe('load-test targets', () => {
  it('loopback needs no confirmation; anything else does', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '[::1]', 'api.localhost']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['10.0.0.1', 'example.com', '0.0.0.0', '128.0.0.1', 'localhost.example.com']) assert.ok(!isLoopbackHost(h), h);
  });
});
