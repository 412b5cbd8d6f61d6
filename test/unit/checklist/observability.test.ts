import * as assert from 'node:assert/strict';
import { checklistOf, evidence, EXPRESS_SERVER, item } from './helpers';

const deps = { express: '5.0.0' };

describe('checklist: observability beyond logs and metrics', () => {
  it('request-ids: pino-http mounted or a request-id header passes; nothing warns', () => {
    const r = checklistOf({ files: { 'src/server.ts': "import pinoHttp from 'pino-http';\n" + EXPRESS_SERVER + 'app.use(pinoHttp());\n' }, dependencies: deps });
    assert.deepEqual(evidence(item(r, 'observability.request-ids')), ['src/server.ts:7 pino-http assigns req.id to every request and logs it']);
    const header = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER + "app.use((req, res, next) => { res.setHeader('X-Request-Id', String(req.headers['x-request-id'] ?? '1')); next(); });\n" }, dependencies: deps });
    assert.equal(item(header, 'observability.request-ids').status, 'pass');
    assert.equal(evidence(item(header, 'observability.request-ids'))[0], 'src/server.ts:6 request-id header read or set here');
    assert.equal(item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER }, dependencies: deps }), 'observability.request-ids').status, 'warn');
  });

  it('tracing: the OpenTelemetry SDK started, or a tracer preloaded by a script, passes', () => {
    const otel = "import { NodeSDK } from '@opentelemetry/sdk-node';\nnew NodeSDK({}).start();\n";
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/tracing.ts': otel }, dependencies: deps });
    assert.equal(item(r, 'observability.tracing').status, 'pass');
    assert.equal(evidence(item(r, 'observability.tracing'))[0], 'src/tracing.ts:2 @opentelemetry/sdk-node used');
    const pkg = JSON.stringify({ name: 'x', scripts: { start: 'node -r dd-trace/init dist/server.js' } }, null, 2);
    const pre = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'package.json': pkg } });
    assert.deepEqual(evidence(item(pre, 'observability.tracing')), ['package.json:4 script "start" preloads a tracer']);
    assert.equal(item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER }, dependencies: deps }), 'observability.tracing').status, 'warn');
  });

  it('alerts: Prometheus rules in the repository pass; otherwise manual', () => {
    const rules = 'groups:\n  - name: api\n    rules:\n      - alert: HighErrorRate\n        expr: rate(http_requests_total{status=~"5.."}[5m]) > 1\n';
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'monitoring/alerts.yml': rules }, dependencies: deps });
    assert.deepEqual(evidence(item(r, 'observability.alerts')), ['monitoring/alerts.yml:4 alerting rules defined here']);
    assert.equal(item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER }, dependencies: deps }), 'observability.alerts').status, 'manual');
  });

  it('compose: a built service without a healthcheck warns; with one passes', () => {
    const compose = 'services:\n  api:\n    build: .\n    ports: ["3000:3000"]\n  db:\n    image: postgres:17\n';
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'docker-compose.yml': compose }, dependencies: deps });
    assert.deepEqual(evidence(item(r, 'deployment.probes')), ['docker-compose.yml:3 compose service api has no healthcheck']);
    const withHc = compose.replace('    ports:', '    healthcheck:\n      test: ["CMD", "wget", "-qO-", "http://localhost:3000/livez"]\n    ports:');
    assert.equal(item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'docker-compose.yml': withHc }, dependencies: deps }), 'deployment.probes').status, 'pass');
  });
});
