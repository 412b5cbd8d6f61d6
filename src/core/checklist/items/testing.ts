import { defineItem } from '../types';
import { at, base, imported, looked, verdict } from './evidence';

export const unitTests = defineItem({
  id: 'testing.unit-tests',
  title: 'Unit tests',
  evaluate(facts) {
    const files = facts.repo.testFiles;
    const runners = facts.repo.testRunners;
    const testScript = facts.repo.scripts.test;
    const placeholder = testScript !== undefined && /no test specified/.test(testScript);
    if (files.length > 0 && !placeholder) return verdict('pass', [...runners.slice(0, 2).map((r) => at(r, `test runner ${r.name}`)), at({ file: files[0], line: 0 }, `${files.length} test file${files.length === 1 ? '' : 's'} (first: ${base(files[0])})`)], 'Run them on every push (CI) and keep them fast.');
    if (files.length > 0) return verdict('warn', [at({ file: files[0], line: 0 }, `${files.length} test files`), at({ file: facts.repo.packageJson ?? facts.root, line: facts.repo.packageJsonLines.get('test') ?? 0 }, '`npm test` is the npm placeholder: the tests never run')], 'Point the "test" script at the runner (e.g. `"test": "vitest run"`).');
    return verdict('fail', [...runners.map((r) => at(r, `test runner ${r.name}, but no test files`)), looked('no *.test.ts / *.spec.ts files or test/ folders')], 'Test the business logic (handlers, services) with a runner such as vitest or node:test: `"test": "vitest run"`.');
  },
});

export const integrationTests = defineItem({
  id: 'testing.integration-tests',
  title: 'Integration tests',
  evaluate(facts) {
    const libs = imported(facts, 'integrationTesting').filter((l) => facts.repo.testFiles.includes(l.file));
    const files = facts.repo.integrationTestFiles;
    if (libs.length > 0 || files.length > 0) return verdict('pass', [...libs.slice(0, 3).map((l) => at(l, `${l.module} used in a test`)), ...files.slice(0, 2).map((f) => at({ file: f, line: 0 }, 'integration/e2e test'))], 'Run them against a real PostgreSQL (testcontainers or a CI service), not a mock.');
    if (facts.repo.testFiles.length === 0) return verdict('fail', [looked('no test files at all')], 'Test the HTTP API end to end: start the app on a real database and call it (supertest, fastify.inject, @nestjs/testing).');
    return verdict('warn', [looked('tests exist, but none calls the HTTP API (supertest, light-my-request, @nestjs/testing, testcontainers…) or lives in an integration/e2e folder')], 'Add tests that go through HTTP and a real database:\n\n```ts\nimport request from \'supertest\';\nawait request(app).post(\'/orders\').send({ customerId: 1 }).expect(201);\n```');
  },
});

export const loadTests = defineItem({
  id: 'testing.load-tests',
  title: 'Load tests',
  evaluate(facts) {
    const runs = facts.loadRuns.runs;
    if (runs.length > 0) {
      const last = runs[runs.length - 1];
      const failed = runs.filter((r) => r.passed === false);
      const note = `latest run ${last.when ?? ''}${last.target ? ` against ${last.target}` : ''}${last.p95 !== undefined ? `, p95 ${last.p95} ms` : ''}: ${last.passed === false ? 'thresholds failed' : last.passed === true ? 'thresholds passed' : 'no verdict'}`;
      const evidence = [at(last, note)];
      if (last.passed === false) return verdict('warn', [...evidence, looked(`${failed.length} of ${runs.length} saved runs failed their thresholds`)], 'Fix what the failed thresholds point at, or adjust them if the target was wrong; run the load test again.');
      if (facts.ci.runsLoadTests.length === 0) evidence.push(looked('load tests run by hand only (saved runs in .shipshape/runs), not in CI'));
      return verdict('pass', [...evidence, ...facts.ci.runsLoadTests.slice(0, 1).map((c) => at(c, `CI runs load tests: ${c.text}`))], 'Run it in CI against a staging environment with `shipshape loadtest --threshold "p(95)<200"`.');
    }
    const scripts = [...facts.repo.loadTestFiles, ...facts.code.loadTestScripts];
    const ci = facts.ci.runsLoadTests;
    if (scripts.length > 0 || ci.length > 0) return verdict('pass', [...ci.slice(0, 2).map((c) => at(c, `CI runs load tests: ${c.text}`)), ...scripts.slice(0, 3).map((s) => at(s, 'load-test scenario'))], 'Gate releases on thresholds (p95 latency, error rate).');
    return verdict('warn', [looked('no saved runs in .shipshape/runs, no k6/Artillery/autocannon scenarios, and no load test in CI')], 'Run "Shipshape: Run Load Test" (or `shipshape loadtest --url http://127.0.0.1:3000/ --threshold "p(95)<200"`) against the busiest routes and keep the run as a baseline.');
  },
});

export const coverageThreshold = defineItem({
  id: 'testing.coverage-threshold',
  title: 'Coverage threshold',
  evaluate(facts) {
    const thresholds = facts.repo.coverageThresholds;
    if (thresholds.length > 0) return verdict('pass', thresholds.slice(0, 3).map((t) => at(t, `coverage threshold: ${t.text}`)), 'Raise it as the tests grow; never let it drop.');
    if (facts.repo.testFiles.length === 0) return verdict('fail', [looked('no tests, so no coverage')], 'Write tests first (testing.unit-tests), then enforce a coverage floor.');
    const collected = facts.repo.coverageCollected;
    return verdict('warn', [...collected.map((c) => at(c, `coverage collected but not enforced: ${c.text}`)), looked('no coverageThreshold (jest), coverage.thresholds (vitest), check-coverage (nyc/c8) found')], 'Fail the build when coverage drops:\n\n```ts\n// vitest.config.ts\ntest: { coverage: { thresholds: { lines: 80, branches: 70 } } }\n```');
  },
});

export const securityScan = defineItem({
  id: 'testing.security-scan',
  title: 'Security scanning',
  evaluate(facts) {
    const scans = facts.ci.securityScans;
    const bots = facts.ci.dependencyBots;
    if (scans.length > 0) return verdict('pass', [...scans.slice(0, 3).map((s) => at(s, `CI scans: ${s.text}`)), ...bots.map((b) => at(b, `${base(b.file)}: dependency updates`))], 'Fail the pipeline on high-severity findings.');
    if (bots.length > 0) return verdict('warn', bots.map((b) => at(b, `${base(b.file)}: dependency updates, but nothing scans in CI`)), 'Also scan in CI: `npm audit --audit-level=high`, CodeQL or trivy for the image.');
    if (facts.ci.files.length === 0) return verdict('fail', [looked('no CI pipeline, so nothing scans dependencies or code')], 'Add a CI pipeline (deployment.ci-pipeline) with `npm audit --audit-level=high`.');
    return verdict('fail', [looked('no npm audit, Snyk, trivy, CodeQL, Semgrep, OSV-Scanner or gitleaks step in CI, and no Dependabot/Renovate config')], 'Add `npm audit --audit-level=high` (or CodeQL / trivy) to CI and enable Dependabot.');
  },
});

export const testingItems = [unitTests, integrationTests, loadTests, coverageThreshold, securityScan];
