import * as assert from 'node:assert/strict';
import { checklistOf, evidence, EXPRESS_SERVER, item } from './helpers';

const MULTI_STAGE = `FROM node:22 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:22-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
USER node
CMD ["node", "dist/server.js"]
`;

const NAIVE = `FROM node
WORKDIR /app
COPY . .
RUN npm install
CMD ["node", "server.js"]
`;

const deployment = (probes: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
${extra}  template:
    spec:
      containers:
        - name: api
          image: api:1
${probes}`;

const PROBES = `          readinessProbe:
            httpGet:
              path: /livez
              port: 3000
          livenessProbe:
            httpGet:
              path: /livez
              port: 3000
`;

describe('checklist: deployment', () => {
  it('passes a multi-stage, non-root Dockerfile with npm ci', () => {
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, Dockerfile: MULTI_STAGE }, dependencies: { express: '5.0.0' } });
    assert.equal(item(r, 'deployment.dockerfile').status, 'pass');
    assert.deepEqual(evidence(item(r, 'deployment.dockerfile')), ['Dockerfile:8 final image from node:22-slim']);
    assert.equal(item(r, 'deployment.docker-multi-stage').status, 'pass');
    assert.equal(item(r, 'deployment.docker-non-root').status, 'pass');
    assert.deepEqual(evidence(item(r, 'deployment.docker-non-root')), ['Dockerfile:11 USER node in the final stage']);
  });

  it('reports a naive Dockerfile: unpinned base, npm install, one stage, root', () => {
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, Dockerfile: NAIVE }, dependencies: { express: '5.0.0' } });
    const d = item(r, 'deployment.dockerfile');
    assert.equal(d.status, 'warn');
    assert.ok(evidence(d).includes('Dockerfile:4 `npm install` resolves versions at build time; `npm ci` installs the lockfile exactly'), evidence(d).join('\n'));
    assert.ok(evidence(d).includes('Dockerfile:1 base image node is not pinned to a version'));
    assert.equal(item(r, 'deployment.docker-multi-stage').status, 'warn');
    assert.equal(item(r, 'deployment.docker-non-root').status, 'fail');
    assert.deepEqual(evidence(item(r, 'deployment.docker-non-root')), ['Dockerfile:1 the final stage has no USER instruction: the process runs as root']);
  });

  it('a Dockerfile without FROM is a clear note, not a crash', () => {
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, Dockerfile: 'this is not a dockerfile\n' }, dependencies: { express: '5.0.0' } });
    const d = item(r, 'deployment.dockerfile');
    assert.equal(d.status, 'fail');
    assert.match(evidence(d)[0], /^Dockerfile:1 Dockerfile has no FROM instruction; Shipshape could not read a base image from it/);
    assert.ok(r.problems.some((p) => p.file === 'Dockerfile'));
  });

  it('passes probes that point at routes the code serves', () => {
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'k8s/deployment.yaml': deployment(PROBES) }, dependencies: { express: '5.0.0' } });
    const p = item(r, 'deployment.probes');
    assert.equal(p.status, 'pass', evidence(p).join('\n'));
    assert.ok(evidence(p).includes('k8s/deployment.yaml:13 Deployment api, container api: readinessProbe GET /livez, served by the route at server.ts:3'), evidence(p).join('\n'));
  });

  it('fails a probe on a path the code does not serve, and a missing readiness probe', () => {
    const probes = `          livenessProbe:
            httpGet:
              path: /health/alive
              port: 3000
`;
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'k8s/deployment.yaml': deployment(probes) }, dependencies: { express: '5.0.0' } });
    const p = item(r, 'deployment.probes');
    assert.equal(p.status, 'fail');
    assert.deepEqual(evidence(p), [
      'k8s/deployment.yaml:10 Deployment api, container api: no readinessProbe — traffic is sent before the app is ready and during shutdown',
      'k8s/deployment.yaml:13 Deployment api, container api: livenessProbe GET /health/alive, but the code serves no route at /health/alive — the probe gets 404 and the pod never becomes ready (or restarts forever)',
    ]);
  });

  it('reads probes from a Helm template with its placeholders filled', () => {
    const tpl = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "api.fullname" . }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - name: api
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          {{- if .Values.probes }}
          readinessProbe:
            httpGet:
              path: /livez
              port: http
          {{- end }}
`;
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'chart/Chart.yaml': 'name: api\nversion: 1.0.0\n', 'chart/templates/deployment.yaml': tpl }, dependencies: { express: '5.0.0' } });
    const p = item(r, 'deployment.probes');
    assert.equal(p.status, 'warn');
    assert.ok(evidence(p).some((e) => e.startsWith('chart/templates/deployment.yaml:14 Deployment HELM_VALUE, container api: readinessProbe GET /livez, served')), evidence(p).join('\n'));
    assert.ok(evidence(p).some((e) => /no livenessProbe/.test(e)));
  });

  it('malformed YAML gives a note with its line, and the rest is still evaluated', () => {
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'k8s/deployment.yaml': 'kind: Deployment\nspec: [\n  - a\n' }, dependencies: { express: '5.0.0' } });
    const p = item(r, 'deployment.probes');
    assert.equal(p.status, 'manual');
    assert.match(evidence(p)[0], /^k8s\/deployment\.yaml(:\d+)? deployment\.yaml is not valid YAML at line \d+ \(.+\); it was skipped\. Fix the syntax to have it checked\.$/);
    assert.equal(item(r, 'observability.health-endpoints').status, 'pass');
  });

  it('compares terminationGracePeriodSeconds with the app\'s shutdown deadline, and flags Recreate', () => {
    const server = `import express from 'express';
const app = express();
const server = app.listen(3000);
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 45_000).unref();
});
`;
    const extra = '  strategy:\n    type: Recreate\n';
    const yaml = deployment(PROBES, extra).replace('    spec:\n      containers', '    spec:\n      terminationGracePeriodSeconds: 20\n      containers');
    const r = checklistOf({ files: { 'src/server.ts': server, 'k8s/deployment.yaml': yaml }, dependencies: { express: '5.0.0' } });
    const u = item(r, 'deployment.rolling-updates');
    assert.equal(u.status, 'fail');
    assert.deepEqual(evidence(u), [
      'k8s/deployment.yaml:8 Deployment api: strategy Recreate stops every pod before starting new ones — downtime on each deploy',
      "k8s/deployment.yaml:11 Deployment api: terminationGracePeriodSeconds 20 is shorter than the app's shutdown deadline",
      'src/server.ts:6 the app waits up to 45 s before it exits; Kubernetes kills it with SIGKILL at 20 s, dropping in-flight requests',
    ]);
  });

  it('CI: none is a fail; with tests (through an npm script) a pass; without tests a warn', () => {
    const none = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER } });
    assert.equal(item(none, 'deployment.ci-pipeline').status, 'fail');
    const wf = `on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: npm run ci
      - run: npx prisma migrate deploy
`;
    const pkg = JSON.stringify({ name: 'x', scripts: { ci: 'npm run lint && vitest run', lint: 'eslint .' } });
    const withTests = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, '.github/workflows/ci.yml': wf, 'package.json': pkg } });
    assert.equal(item(withTests, 'deployment.ci-pipeline').status, 'pass');
    assert.deepEqual(evidence(item(withTests, 'deployment.ci-pipeline')), ['.github/workflows/ci.yml:8 runs tests: npm run ci']);
    assert.equal(item(withTests, 'deployment.migrations-automated').status, 'pass');
    assert.deepEqual(evidence(item(withTests, 'deployment.migrations-automated')), ['.github/workflows/ci.yml:9 CI runs migrations: npx prisma migrate deploy']);
    const noTests = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, '.gitlab-ci.yml': 'build:\n  script:\n    - npm ci\n    - npm run build\n' } });
    assert.equal(item(noTests, 'deployment.ci-pipeline').status, 'warn');
    assert.deepEqual(evidence(item(noTests, 'deployment.ci-pipeline')), ['.gitlab-ci.yml:1 GitLab CI pipeline; it runs no tests']);
  });

  it('feature flags: an SDK in use passes, none is manual', () => {
    const r = checklistOf({ files: { 'src/flags.ts': "import { OpenFeature } from '@openfeature/server-sdk';\nexport const flags = OpenFeature.getClient();\n" } });
    assert.equal(item(r, 'deployment.feature-flags').status, 'pass');
    assert.deepEqual(evidence(item(r, 'deployment.feature-flags')), ['src/flags.ts:2 @openfeature/server-sdk used']);
    assert.equal(item(checklistOf({ files: { 'src/a.ts': 'export const a = 1;\n' } }), 'deployment.feature-flags').status, 'manual');
  });
});
